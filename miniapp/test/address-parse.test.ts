import { describe, expect, it } from 'vitest';
import { areaList } from '@vant/area-data';
import { parseAddressText } from '../src/packageUser/pages/address-edit/parse';

const parse = (line: string) => parseAddressText(line, areaList);

describe('粘贴识别 (paste-to-fill)', () => {
  it('splits name, phone, 省/市/区 and the street address of one pasted line', () => {
    expect(parse('张三 13800138000 广东省深圳市南山区科技园路1号')).toEqual({
      name: '张三',
      phone: '13800138000',
      province: '广东省',
      city: '深圳市',
      district: '南山区',
      detail: '科技园路1号',
    });
  });

  it('reads the order the other way round, with separators, field words and a spaced phone', () => {
    expect(parse('收货人：李四，手机号码：138 0013 8000，所在地区：浙江省 杭州市 西湖区，详细地址：文三路 90 号')).toEqual({
      name: '李四',
      phone: '13800138000',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '文三路90号',
    });
    expect(parse('广东省深圳市南山区科技园路1号 王五 +86-139-1234-5678')).toMatchObject({
      name: '王五',
      phone: '13912345678',
      district: '南山区',
      detail: '科技园路1号',
    });
  });

  it('fills a 直辖市 written once, and a line that starts at the city', () => {
    expect(parse('王小明 13800138000 上海市浦东新区世纪大道100号8楼')).toEqual({
      name: '王小明',
      phone: '13800138000',
      province: '上海市',
      city: '上海市',
      district: '浦东新区',
      detail: '世纪大道100号8楼',
    });
    expect(parse('赵六 15000000000 深圳市福田区福华路5号')).toMatchObject({ province: '广东省', city: '深圳市', district: '福田区', detail: '福华路5号' });
  });

  it('knows names without their suffix and leaves unknown parts empty rather than guessing', () => {
    expect(parse('钱七 18600000000 广东深圳南山区科技园')).toMatchObject({ province: '广东省', city: '深圳市', district: '南山区' });
    expect(parse('就一句话没有地址')).toEqual({ name: '', phone: '', province: '', city: '', district: '', detail: '就一句话没有地址' });
  });
});
