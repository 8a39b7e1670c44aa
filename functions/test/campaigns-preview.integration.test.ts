/**
 * `npm run campaigns:preview -- --user <user id>` reads the shopper from the shop's table and shows the segment tags
 * their profile gives them, the way pricing targets them.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { freshTable } from '../../tests/support/table';
import { shopper } from '../../tests/support/shop';
import { putProduct } from '../../scripts/seed/seed';
import { newId } from '../src/lib/ids';
import { ingestEvents } from '../src/services/events';

let tableName = '';
beforeAll(async () => {
  ({ tableName } = await freshTable());
  await putProduct(
    {
      id: 'p-pv-lip',
      categoryId: 'beauty',
      title: '预览口红',
      subtitle: '',
      description: '',
      images: ['/catalog-images/p-pv-lip.svg'],
      specDimensions: [{ name: '规格', values: ['标准'] }],
      skus: [{ id: 'sku-pv-lip', specs: { 规格: '标准' }, priceFen: 5900, originalPriceFen: null, stock: 5, image: null }],
      sales: 0,
      listedDaysAgo: 1,
      onShelf: true,
      keywords: ['口红'],
    },
    Date.now(),
  );
});

it('shows a real shopper with the tags of their profile', async () => {
  const s = await shopper('pv-fan');
  const now = Date.now();
  expect((await ingestEvents(s.userId, [{ kind: 'cart', id: newId(now), at: now, productId: 'p-pv-lip', skuId: 'sku-pv-lip', quantity: 1 }], now)).stored).toBe(1);
  const port = new URL(inject('dynamoEndpoint')).port;
  const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/campaigns.ts', 'preview', '--stage', 'local', '--user', s.userId], {
    env: { ...process.env, DYNAMO_PORT: port, SHOP_TABLE: tableName },
    timeout: 60_000,
  });
  expect(stdout).toContain(`== ${s.userId} 画像 新客 · RFM 0/0/0 · 0 单（普通会员 · 新用户 · 标签 new-shopper、beauty-lover · id ${s.userId}）`);
});
