/**
 * Every key format of the one table, in one place. Nothing else in the code base builds a PK/SK/GSI value.
 * docs/data-model.md lists the same patterns with their access patterns.
 *
 *   entity            PK                     SK                   GSI1PK / GSI1SK                         GSI2PK / GSI2SK                 GSI3PK / GSI3SK
 *   category          CATALOG                CATEGORY#<id>        -                                       -                               -
 *   product           PRODUCT#<pid>          PRODUCT              SHELF / <categoryId>#<pid>              -                               -
 *   sku               PRODUCT#<pid>          SKU#<skuId>          SHELF / <categoryId>#<pid>#SKU#<skuId>  -                               -
 *   user              USER#<uid>             PROFILE              -                                       -                               -
 *   openid → user     OPENID#<openid>        OPENID               -                                       -                               -
 *   demo shopper      DEMO                   USER#<code>          -                                       -                               -   (local stage)
 *   cart line         USER#<uid>             CART#<skuId>         -                                       -                               -
 *   address           USER#<uid>             ADDR#<addressId>     -                                       -                               -
 *   checkout key      USER#<uid>             CHECKOUT#<key>       -                                       -                               -
 *   order             ORDER#<oid>            ORDER                USER#<uid>#ORDERS / <oid>               USER#<uid>#TAB#<tab> / <oid>    DUE#PAYMENT / <deadlineAt>#<oid> (while unpaid), DUE#SEAT / <paidAt>#<oid> (paid group order, seat undecided)
 *                     (GSI4PK / GSI4SK: DAY#<yyyy-mm-dd> / <oid>, for the daily reconciliation)
 *   payment           ORDER#<oid>            PAYMENT#<txId>       -                                       -                               DUE#PAYREFUND / <at>#<oid>#<txId> (while owed back)
 *                     (GSI4PK / GSI4SK: PAYOWED#<yyyy-mm-dd> / <oid>#<txId>, when it was owed back on receipt)
 *   refund            ORDER#<oid>            REFUND#<outRefundNo> -                                       -                               DUE#REFUND / <createdAt>#<no> (while REFUNDING)
 *                     (GSI4PK / GSI4SK: REFUNDEXC#<yyyy-mm-dd> / <no>, once it ended CLOSED/ABNORMAL or was paid twice)
 *   recon report      RECON#<yyyy-mm-dd>     REPORT               -                                       -                               -
 *   pay notification  PAYNOTIFY#<id>         NOTIFICATION         -                                       -                               -
 *   sandbox payment   WXSANDBOX#<outTradeNo> TRANSACTION          -                                       -                               -
 *   sandbox 2nd pay   WXSANDBOX#PAYMENT#<txId> TRANSACTION        -                                       -                               -   (a further payment of a paid out_trade_no)
 *   sandbox prepay    WXSANDBOX#PREPAY#<id>  PREPAY               -                                       -                               -
 *   sandbox refund    WXSANDBOX#REFUND#<no>  REFUND               -                                       -                               -
 *   sandbox re-send   WXSANDBOX#NOTIFY#<id>  NOTIFY               -                                       -                               DUE#WXSANDBOX_NOTIFY / <dueAt>#<id> (until answered or given up)
 *   coupon template   COUPONTPL#<templateId> STOCK                -                                       -                               -   ({claimed}; stock = totalStock from the config)
 *   held coupon       USER#<uid>             COUPON#<couponId>    -                                       -                               -
 *   claims of a tpl   USER#<uid>             COUPONCLAIMS#<tplId> -                                       -                               -   ({count}, per-user limit)
 *   flash-sale quota  FLASH#<cid>#<skuId>    QUOTA                -                                       -                               -   ({sold})
 *   flash bought      USER#<uid>             FLASHBOUGHT#<cid>#<skuId> -                                  -                               -   ({bought}, per-user limit)
 *   gift quota        GIFT#<campaignId>      QUOTA                -                                       -                               -   ({given})
 *   group             GROUP#<gid>            GROUP                GROUPS#<cid>#OPEN / <deadline>#<gid>    -                               DUE#GROUP / <deadline>#<gid> (until closed and settled)
 *                     (GSI1 only while OPEN: the 去参团 list of a deal)
 *   group member      GROUP#<gid>            MEMBER#<uid>         USER#<uid>#GROUPS / <seatedAt>#<gid>    -                               -   (robots: no GSI)
 *   share token       GROUPTOKEN#<token>     GROUPTOKEN           -                                       -                               -   ({groupId})
 *   group quota       GROUPQUOTA#<cid>       QUOTA                -                                       -                               -   ({sold}, campaign stockQuota)
 *   group bought      USER#<uid>             GROUPBOUGHT#<cid>    -                                       -                               -   ({bought}, per-user limit)
 *   poster code       GROUPCODE#<token>      WXACODE              -                                       -                               -   ({kind, data}: the mini-program code, made once)
 *   group notice      GROUPNOTICE#<gid>      <uid>#<outcome>      -                                       -                               -   (one subscribe message per member per outcome)
 *   sandbox message   NOTIFYMSG#<uid>        <at>#<id>            -                                       -                               -   (local stage: what subscribeMessage.send would have sent)
 *   favourite         USER#<uid>             FAV#<pid>            USER#<uid>#FAVS / <createdAt>#<pid>     -                               -   (我的收藏, newest first on GSI1)
 *   favourite count   USER#<uid>             FAVCOUNT             -                                       -                               -   ({count}, moved in the same transaction as each favourite, capped)
 *   points balance    USER#<uid>             POINTS               -                                       -                               -   ({available, pending, lifetime, spent, expired, reversed, shortfall}: conditional ADD only)
 *   points entry      USER#<uid>             PTS#<businessId>     USER#<uid>#POINTS / <at>#<businessId>   -                               -   (the ledger: one per business event, attribute_not_exists)
 *   points lot        USER#<uid>             PTSLOT#M#<yyyy-mm>   -                                       -                               DUE#PTSEXPIRY / <expiresAt>#<uid>#<lot> (while points remain)
 *   pending lot       USER#<uid>             PTSLOT#P#<oid>       -                                       -                               DUE#PTSPENDING / <availableAt>#<uid>#<lot> (while pending)
 *   points day cap    USER#<uid>             PTSDAY#<day>#<src>   -                                       -                               -   ({earned}, the source's daily cap)
 *   check-in state    USER#<uid>             CHECKIN              -                                       -                               -   ({day, streak})
 *   member            USER#<uid>             MEMBER               -                                       -                               DUE#LEVELREVIEW / <reviewAt>#<uid> (above 普通, when yearly review is on)
 *   drop grant        USER#<uid>             DROPGRANT#<cid>#<period>#<tpl> -                              -                               -   (a scheduled drop's coupon, once per shopper and period)
 *   last paid         USER#<uid>             LASTPAID             -                                       -                               LASTPAID / <paidAt>#<uid> (win_back: shoppers by their last paid order)
 *   user (birthday)   USER#<uid>             PROFILE              -                                       -                               BIRTHDAY#<MM> / <uid> (when a birthday is set)
 *   user (invited)    USER#<uid>             PROFILE              USER#<inviter>#INVITEES / <createdAt>#<uid> -                         -   (once invitedBy is recorded: the inviter's friends)
 *   invite code       INVITECODE#<code>      INVITECODE           -                                       -                               -   ({userId}: a shopper's 邀请码, made once)
 *   level history     USER#<uid>             LEVELLOG#<at>        -                                       -                               -
 *   mall item stock   PTSMALL#<itemId>       STOCK                -                                       -                               -   ({redeemed}; stock in the members config)
 *   mall per shopper  USER#<uid>             PTSMALLBOUGHT#<id>   -                                       -                               -   ({count}, per-user limit)
 *   behaviour event   EVT#<yyyy-mm-dd>#<shard> <eventId>      -                                       -                               -   (raw events by UTC day, 16 shards by user; TTL `ttl`; the trainer reads a day range)
 *   shopper profile   USER#<uid>             BEHAVIOUR            -                                       -                               -   (recent items, decayed interests, price band, order stats; `rev` guards every write)
 *   footprint (足迹)  USER#<uid>             FOOT#<pid>           USER#<uid>#FOOT / <viewedAt>#<pid>      -                               -   (one row per product viewed, latest first on GSI1; TTL `ttl`)
 *   privacy           USER#<uid>             PROFILE              -                                       -                               -   (`privacy {personalizedRecs, behaviourData}` on the user item; absent = both on)
 *   recs model head   RECMODEL               HEAD                 -                                       -                               -   (the live version, trainedAt, popular / per-category / newest lists; one put flips versions)
 *   item neighbours   RECNB#<pid>            V#<version>          -                                       -                               -   (top-K neighbours of one product in one model version; TTL `ttl` retires old versions)
 *   不感兴趣          USER#<uid>             RECDISLIKE           -                                       -                               -   (`items`: the products the shopper turned down, newest last, capped)
 *   review            ORDER#<oid>            REVIEW#<skuId>       REVIEWS#<pid> / <at>#<rid>              REVIEWS#<pid>#<GOOD|NEUTRAL|BAD> / <at>#<rid>  REVIEWS#<pid>#PHOTO / <at>#<rid> (with photos)
 *                     (GSI4PK / GSI4SK: REVIEWS#<pid>#TOP / <score>#<at>#<rid>, with photos; every index key removed while hidden. One per order line: attribute_not_exists)
 *   review totals     REVIEWAGG#<pid>        S#<nn>               -                                       -                               -   ({count, s1..s5, photo, tag:<tag>}: 16 shards, ADDed in the review's transaction)
 *   feedback          FEEDBACK#<id>          FEEDBACK             FEEDBACK / <at>#<id>                    -                               -   (意见反馈, newest first for operators)
 *   parcel            ORDER#<oid>            PARCEL#<nn>          -                                       -                               -   (carrier, tracking number, lines, timeline; written with SHIP)
 *   tracking number   TRACKNO#<carrier>#<no> PARCEL               -                                       -                               -   ({orderId, parcelNo}: one parcel per number, attribute_not_exists)
 *   order (shipped)   ORDER#<oid>            ORDER                …                                       …                               DUE#RECEIPT / <receiptDueAt>#<oid> (while SHIPPED: auto-receipt)
 *   order notice      ORDER#<oid>            NOTICE#<kind>        -                                       -                               -   (已发货 / 已签收 subscribe message, once)
 *   shipping upload   ORDER#<oid>            WXSHIPPING#<ver>     -                                       -                               -   (upload_shipping_info claimed once per shipment version)
 *   operator log      OPSLOG#<yyyy-mm-dd>    <at>#<id>            -                                       -                               -   ({actor, action, target, summary}: written in the operator action's transaction)
 *   sandbox shipping  WXSANDBOX#SHIPPING#<orderKey> <at>#<id>     -                                       -                               -   (local: upload_shipping_info calls the WeChat twin accepted)
 *   sandbox tracking  KD100SANDBOX           <carrier>#<no>       -                                       -                               -   (local: the 快递100 twin's subscriptions and timeline position)
 *   after-sale        ORDER#<oid>            AFTERSALE#<nnnn>     USER#<uid>#AFTERSALES / <createdAt>#<id>  AFTERSALES#<state> / <createdAt>#<id>  DUE#AFTERSALE / <dueAt>#<id> (while a party's deadline runs; id = <oid>-<n>)
 *   after-sale line   ORDER#<oid>            AFTERSALELINE#<skuId> -                                      -                               -   ({afterSaleId}: the line's one open request, attribute_not_exists; deleted when it ends)
 *   after-sale seq    ORDER#<oid>            AFTERSALESEQ         -                                       -                               -   ({n}: the order's request numbers, ADD 1 each)
 */
import type { OrderStatus, OrderTabKey } from '@shop/shared';
import { ORDER_TABS, fnv1a32 } from '@shop/shared';

export interface Key {
  PK: string;
  SK: string;
}

export const SHELF = 'SHELF';
export const CATALOG = 'CATALOG';

export const keys = {
  category: (id: string): Key => ({ PK: CATALOG, SK: `CATEGORY#${id}` }),
  categoryPrefix: 'CATEGORY#',

  product: (productId: string): Key => ({ PK: `PRODUCT#${productId}`, SK: 'PRODUCT' }),
  productPartition: (productId: string) => `PRODUCT#${productId}`,
  sku: (productId: string, skuId: string): Key => ({ PK: `PRODUCT#${productId}`, SK: `SKU#${skuId}` }),
  skuPrefix: 'SKU#',
  /** Products and their SKUs share the SHELF partition of GSI1, ordered by category, so one query lists a category. */
  productShelf: (categoryId: string, productId: string) => ({ GSI1PK: SHELF, GSI1SK: `${categoryId}#${productId}` }),
  skuShelf: (categoryId: string, productId: string, skuId: string) => ({
    GSI1PK: SHELF,
    GSI1SK: `${categoryId}#${productId}#SKU#${skuId}`,
  }),
  shelfCategoryPrefix: (categoryId: string) => `${categoryId}#`,

  user: (userId: string): Key => ({ PK: `USER#${userId}`, SK: 'PROFILE' }),
  userPartition: (userId: string) => `USER#${userId}`,
  openid: (openid: string): Key => ({ PK: `OPENID#${openid}`, SK: 'OPENID' }),
  /** Local stage only: the demo shoppers the sandbox login offers. */
  demoUser: (code: string): Key => ({ PK: 'DEMO', SK: `USER#${code}` }),
  demoPartition: 'DEMO',

  cartLine: (userId: string, skuId: string): Key => ({ PK: `USER#${userId}`, SK: `CART#${skuId}` }),
  cartPrefix: 'CART#',
  address: (userId: string, addressId: string): Key => ({ PK: `USER#${userId}`, SK: `ADDR#${addressId}` }),
  addressPrefix: 'ADDR#',
  checkoutKey: (userId: string, idempotencyKey: string): Key => ({ PK: `USER#${userId}`, SK: `CHECKOUT#${idempotencyKey}` }),

  order: (orderId: string): Key => ({ PK: `ORDER#${orderId}`, SK: 'ORDER' }),
  orderIndexes: (userId: string, orderId: string, status: OrderStatus, createdAt: number) => ({
    GSI1PK: `USER#${userId}#ORDERS`,
    GSI1SK: orderId,
    ...keys.orderTab(userId, orderId, status),
    ...keys.orderDay(createdAt, orderId),
  }),
  orderTab: (userId: string, orderId: string, status: OrderStatus) => ({
    GSI2PK: `USER#${userId}#TAB#${tabOf(status)}`,
    GSI2SK: orderId,
  }),
  userOrders: (userId: string) => `USER#${userId}#ORDERS`,
  userOrderTab: (userId: string, tab: Exclude<OrderTabKey, 'ALL'>) => `USER#${userId}#TAB#${tab}`,
  /** Unpaid orders by deadline, for the timeout sweeper; removed when the order leaves PENDING_PAYMENT. */
  paymentDue: (deadlineAt: number, orderId: string) => ({
    GSI3PK: 'DUE#PAYMENT',
    GSI3SK: `${String(deadlineAt).padStart(15, '0')}#${orderId}`,
  }),

  /**
   * One WeChat transaction confirmed for an order (the first, a late one, or a second payment): created with
   * attribute_not_exists in the same transaction as the order's move, so a replayed notification fails by itself.
   */
  payment: (orderId: string, transactionId: string): Key => ({ PK: `ORDER#${orderId}`, SK: `PAYMENT#${transactionId}` }),
  paymentPrefix: 'PAYMENT#',
  /** Payments owed back to the payer (late or second payments) until their refund exists: reconciliation's list. */
  paymentRefundDue: (at: number, orderId: string, transactionId: string) => ({
    GSI3PK: 'DUE#PAYREFUND',
    GSI3SK: `${String(at).padStart(15, '0')}#${orderId}#${transactionId}`,
  }),
  paymentRefundDuePartition: 'DUE#PAYREFUND',
  /** Payments owed back on receipt (late or second payments), by UTC day received: the daily report lists them. */
  paymentOwedDay: (at: number, orderId: string, transactionId: string) => ({
    GSI4PK: `PAYOWED#${new Date(at).toISOString().slice(0, 10)}`,
    GSI4SK: `${orderId}#${transactionId}`,
  }),
  paymentOwedDayPartition: (day: string) => `PAYOWED#${day}`,

  /** A refund of an order: in the order's partition, so one query reads the order with its refunds. */
  refund: (orderId: string, outRefundNo: string): Key => ({ PK: `ORDER#${orderId}`, SK: `REFUND#${outRefundNo}` }),
  refundPrefix: 'REFUND#',
  orderPartition: (orderId: string) => `ORDER#${orderId}`,
  /** Refunds still waiting for WeChat's answer, oldest first, for reconciliation; removed when settled. */
  refundDue: (createdAt: number, outRefundNo: string) => ({
    GSI3PK: 'DUE#REFUND',
    GSI3SK: `${String(createdAt).padStart(15, '0')}#${outRefundNo}`,
  }),
  /** Refunds that ended CLOSED/ABNORMAL or were paid twice, by UTC day of that end (the daily report lists them). */
  refundExceptionDay: (at: number, outRefundNo: string) => ({ GSI4PK: `REFUNDEXC#${new Date(at).toISOString().slice(0, 10)}`, GSI4SK: outRefundNo }),
  refundExceptionDayPartition: (day: string) => `REFUNDEXC#${day}`,
  paymentDuePartition: 'DUE#PAYMENT',
  /** Paid group orders whose seat is not decided yet (membership PENDING), by payment time: the group sweep's list. */
  seatDue: (paidAt: number, orderId: string) => ({ GSI3PK: 'DUE#SEAT', GSI3SK: `${String(paidAt).padStart(15, '0')}#${orderId}` }),
  seatDuePartition: 'DUE#SEAT',
  refundDuePartition: 'DUE#REFUND',
  dueBefore: (at: number) => `${String(at).padStart(15, '0')}#~`,
  /** Orders by UTC day of creation, for the daily reconciliation report. */
  orderDay: (createdAt: number, orderId: string) => ({ GSI4PK: `DAY#${new Date(createdAt).toISOString().slice(0, 10)}`, GSI4SK: orderId }),
  dayPartition: (day: string) => `DAY#${day}`,
  /** Recorded notifications by UTC day of receipt (daily reconciliation lists the unmatched ones). */
  notificationDay: (receivedAt: number, id: string) => ({ GSI4PK: `NOTIFYDAY#${new Date(receivedAt).toISOString().slice(0, 10)}`, GSI4SK: id }),
  notificationDayPartition: (day: string) => `NOTIFYDAY#${day}`,
  reconciliationReport: (day: string): Key => ({ PK: `RECON#${day}`, SK: 'REPORT' }),

  /** Every verified payment notification, kept as received (audit, reconciliation of unknown or mismatched ones). */
  payNotification: (notificationId: string): Key => ({ PK: `PAYNOTIFY#${notificationId}`, SK: 'NOTIFICATION' }),

  /**
   * Claims made of a coupon template, counted up under `claimed < totalStock`: the stock itself stays in the campaign
   * configuration, so an operator who raises it (or lowers it below what is claimed) needs no data migration.
   */
  couponTemplateStock: (templateId: string): Key => ({ PK: `COUPONTPL#${templateId}`, SK: 'STOCK' }),
  /** A shopper's coupon lives in the shopper's partition: a coupon id of someone else's is simply not found there. */
  coupon: (userId: string, couponId: string): Key => ({ PK: `USER#${userId}`, SK: `COUPON#${couponId}` }),
  couponPrefix: 'COUPON#',
  couponClaims: (userId: string, templateId: string): Key => ({ PK: `USER#${userId}`, SK: `COUPONCLAIMS#${templateId}` }),
  /** Units of a SKU sold at its flash price in one flash sale (guarded by `sold <= quota - q`). */
  flashQuota: (campaignId: string, skuId: string): Key => ({ PK: `FLASH#${campaignId}#${skuId}`, SK: 'QUOTA' }),
  flashBought: (userId: string, campaignId: string, skuId: string): Key => ({
    PK: `USER#${userId}`,
    SK: `FLASHBOUGHT#${campaignId}#${skuId}`,
  }),
  /** Gifts handed out by a 满赠 campaign with a quota. */
  giftQuota: (campaignId: string): Key => ({ PK: `GIFT#${campaignId}`, SK: 'QUOTA' }),

  /** A group of a group deal (拼团) with its members in the same partition: one Query reads the whole group. */
  group: (groupId: string): Key => ({ PK: `GROUP#${groupId}`, SK: 'GROUP' }),
  groupPartition: (groupId: string) => `GROUP#${groupId}`,
  groupMember: (groupId: string, userId: string): Key => ({ PK: `GROUP#${groupId}`, SK: `MEMBER#${userId}` }),
  groupMemberPrefix: 'MEMBER#',
  /** Open groups of a deal, soonest deadline first (去参团); removed when the group closes. */
  openGroupOfDeal: (campaignId: string, deadline: number, groupId: string) => ({
    GSI1PK: `GROUPS#${campaignId}#OPEN`,
    GSI1SK: `${String(deadline).padStart(15, '0')}#${groupId}`,
  }),
  openGroupsPartition: (campaignId: string) => `GROUPS#${campaignId}#OPEN`,
  /** Groups whose deadline is due, for the deadline sweeper; removed once the group is closed and settled. */
  groupDue: (deadline: number, groupId: string) => ({ GSI3PK: 'DUE#GROUP', GSI3SK: `${String(deadline).padStart(15, '0')}#${groupId}` }),
  groupDuePartition: 'DUE#GROUP',
  /** A shopper's seats, newest last (我的拼团). */
  userGroup: (userId: string, seatedAt: number, groupId: string) => ({
    GSI1PK: `USER#${userId}#GROUPS`,
    GSI1SK: `${String(seatedAt).padStart(15, '0')}#${groupId}`,
  }),
  userGroupsPartition: (userId: string) => `USER#${userId}#GROUPS`,
  groupToken: (token: string): Key => ({ PK: `GROUPTOKEN#${token}`, SK: 'GROUPTOKEN' }),
  /** Units sold by a group deal (campaign-wide stockQuota) and per shopper (perUserLimit). */
  groupQuota: (campaignId: string): Key => ({ PK: `GROUPQUOTA#${campaignId}`, SK: 'QUOTA' }),
  /** The poster's mini-program code of a group, made once per share token. */
  groupCode: (token: string): Key => ({ PK: `GROUPCODE#${token}`, SK: 'WXACODE' }),
  /** At most one subscribe message per member per outcome of a group. */
  groupNotice: (groupId: string, userId: string, outcome: string): Key => ({ PK: `GROUPNOTICE#${groupId}`, SK: `${userId}#${outcome}` }),
  /** Local stage: the subscribe messages the sandbox recorded for a user, oldest first. */
  sandboxMessage: (userId: string, at: number, id: string): Key => ({ PK: `NOTIFYMSG#${userId}`, SK: `${String(at).padStart(13, '0')}#${id}` }),
  sandboxMessagePartition: (userId: string) => `NOTIFYMSG#${userId}`,
  groupBought: (userId: string, campaignId: string): Key => ({ PK: `USER#${userId}`, SK: `GROUPBOUGHT#${campaignId}` }),

  /** A product a shopper keeps in 我的收藏: in the shopper's partition, so nobody else's list can name it. */
  favorite: (userId: string, productId: string): Key => ({ PK: `USER#${userId}`, SK: `FAV#${productId}` }),
  /** A shopper's favourites, newest first (GSI1, like their orders and seats). */
  favoriteIndex: (userId: string, createdAt: number, productId: string) => ({
    GSI1PK: `USER#${userId}#FAVS`,
    GSI1SK: `${String(createdAt).padStart(15, '0')}#${productId}`,
  }),
  userFavoritesPartition: (userId: string) => `USER#${userId}#FAVS`,
  /** How many favourites the shopper keeps, counted in the transaction that adds or removes one (the cap's guard). */
  favoriteCount: (userId: string): Key => ({ PK: `USER#${userId}`, SK: 'FAVCOUNT' }),

  /** A member's points: counters moved only by conditional ADD, in the transaction that writes the ledger entry. */
  pointsBalance: (userId: string): Key => ({ PK: `USER#${userId}`, SK: 'POINTS' }),
  /** The ledger: one entry per business event (ORDER#<oid>, CHECKIN#<day>, INVITE#<uid>, REVERSAL#<no>…). */
  pointsEntry: (userId: string, businessId: string): Key => ({ PK: `USER#${userId}`, SK: `PTS#${businessId}` }),
  pointsEntryPrefix: 'PTS#',
  /** A member's ledger, newest first (积分明细). */
  pointsHistory: (userId: string, at: number, businessId: string) => ({
    GSI1PK: `USER#${userId}#POINTS`,
    GSI1SK: `${String(at).padStart(15, '0')}#${businessId}`,
  }),
  pointsHistoryPartition: (userId: string) => `USER#${userId}#POINTS`,
  /** A lot of points: `M#<yyyy-mm>` (available points earned that month) or `P#<orderId>` (an order's pending points). */
  pointsLot: (userId: string, lotId: string): Key => ({ PK: `USER#${userId}`, SK: `PTSLOT#${lotId}` }),
  pointsLotPrefix: 'PTSLOT#',
  /** Lots with points left, by expiry, for the expiry job; removed when the lot is used up or expired. */
  pointsExpiryDue: (expiresAt: number, userId: string, lotId: string) => ({
    GSI3PK: 'DUE#PTSEXPIRY',
    GSI3SK: `${String(expiresAt).padStart(15, '0')}#${userId}#${lotId}`,
  }),
  pointsExpiryDuePartition: 'DUE#PTSEXPIRY',
  /** Pending lots by the moment they become available, for the release job; removed when released or reversed. */
  pointsPendingDue: (availableAt: number, userId: string, lotId: string) => ({
    GSI3PK: 'DUE#PTSPENDING',
    GSI3SK: `${String(availableAt).padStart(15, '0')}#${userId}#${lotId}`,
  }),
  pointsPendingDuePartition: 'DUE#PTSPENDING',
  /** Points a source credited a member on one Asia/Shanghai day (its daily cap). */
  pointsDayCap: (userId: string, day: string, source: string): Key => ({ PK: `USER#${userId}`, SK: `PTSDAY#${day}#${source}` }),
  checkInState: (userId: string): Key => ({ PK: `USER#${userId}`, SK: 'CHECKIN' }),
  /** A scheduled coupon drop granted to a shopper for one period (birthday: the year; share_reward: the friend; win_back: the last paid order). */
  dropGrant: (userId: string, campaignId: string, period: string, templateId: string): Key => ({
    PK: `USER#${userId}`,
    SK: `DROPGRANT#${campaignId}#${period}#${templateId}`,
  }),
  /** Shoppers by birthday month (on the profile, GSI3), for the birthday drop. */
  birthdayIndex: (month: string, userId: string) => ({ GSI3PK: `BIRTHDAY#${month}`, GSI3SK: userId }),
  birthdayPartition: (month: string) => `BIRTHDAY#${month}`,
  /** A shopper's 邀请码 → the shopper (created once with the code on the user item). */
  inviteCode: (code: string): Key => ({ PK: `INVITECODE#${code}`, SK: 'INVITECODE' }),
  /** An invited friend's user item on GSI1, under the inviter: 邀请的好友, by the friend's sign-up. */
  inviteeIndex: (inviterId: string, createdAt: number, userId: string) => ({
    GSI1PK: `USER#${inviterId}#INVITEES`,
    GSI1SK: `${String(createdAt).padStart(15, '0')}#${userId}`,
  }),
  inviteesPartition: (inviterId: string) => `USER#${inviterId}#INVITEES`,
  /** A shopper's last paid order (GSI3 by its time), for the win_back drop. */
  lastPaid: (userId: string): Key => ({ PK: `USER#${userId}`, SK: 'LASTPAID' }),
  lastPaidIndex: (paidAt: number, userId: string) => ({ GSI3PK: 'LASTPAID', GSI3SK: `${String(paidAt).padStart(15, '0')}#${userId}` }),
  lastPaidPartition: 'LASTPAID',
  /** Level and growth (spend net of refunds, invites), changed under `growthRev`. */
  member: (userId: string): Key => ({ PK: `USER#${userId}`, SK: 'MEMBER' }),
  levelReviewDue: (reviewAt: number, userId: string) => ({ GSI3PK: 'DUE#LEVELREVIEW', GSI3SK: `${String(reviewAt).padStart(15, '0')}#${userId}` }),
  levelReviewDuePartition: 'DUE#LEVELREVIEW',
  levelLog: (userId: string, at: number, seq: number): Key => ({ PK: `USER#${userId}`, SK: `LEVELLOG#${String(at).padStart(15, '0')}#${seq}` }),
  levelLogPrefix: 'LEVELLOG#',
  /** Units of a 积分商城 item redeemed (the stock is in the members config), and by one shopper. */
  mallStock: (itemId: string): Key => ({ PK: `PTSMALL#${itemId}`, SK: 'STOCK' }),
  mallBought: (userId: string, itemId: string): Key => ({ PK: `USER#${userId}`, SK: `PTSMALLBOUGHT#${itemId}` }),

  /**
   * A raw behaviour event, by the UTC day it belongs to and one of EVENT_SHARDS shards (by the shopper, so one busy
   * day spreads over partitions); the event id is the sort key, so a re-sent event meets its own conditional put.
   */
  event: (day: string, userId: string, eventId: string): Key => ({ PK: keys.eventPartition(day, eventShard(userId)), SK: eventId }),
  eventPartition: (day: string, shard: number) => `EVT#${day}#${String(shard).padStart(2, '0')}`,
  /** Recent items, interests and order stats of a shopper: one item, read with the user item in one BatchGet. */
  shopperProfile: (userId: string): Key => ({ PK: `USER#${userId}`, SK: 'BEHAVIOUR' }),
  /** 足迹: one row per product the shopper viewed, latest view first on GSI1. */
  footprint: (userId: string, productId: string): Key => ({ PK: `USER#${userId}`, SK: `FOOT#${productId}` }),
  footprintPrefix: 'FOOT#',
  footprintIndex: (userId: string, viewedAt: number, productId: string) => ({
    GSI1PK: `USER#${userId}#FOOT`,
    GSI1SK: `${String(viewedAt).padStart(15, '0')}#${productId}`,
  }),
  userFootprintsPartition: (userId: string) => `USER#${userId}#FOOT`,

  /** The recommendation model: its head (the live version and the ranked lists) and each product's neighbours. */
  recModelHead: { PK: 'RECMODEL', SK: 'HEAD' } as Key,
  recNeighbours: (productId: string, version: string): Key => ({ PK: `RECNB#${productId}`, SK: `V#${version}` }),
  recDislikes: (userId: string): Key => ({ PK: `USER#${userId}`, SK: 'RECDISLIKE' }),

  /** A review of one order line (in the order's partition: one per line, and the order's reviews in one query). */
  review: (orderId: string, skuId: string): Key => ({ PK: `ORDER#${orderId}`, SK: `REVIEW#${skuId}` }),
  reviewPrefix: 'REVIEW#',
  /** The listings of a product's visible reviews, newest first: all, by rating bucket, with photos, top with photos. */
  reviewIndexes: (r: { productId: string; reviewId: string; createdAt: number; bucket: string; hasPhotos: boolean; topScore: string }) => {
    const sk = `${String(r.createdAt).padStart(15, '0')}#${r.reviewId}`;
    return {
      GSI1PK: `REVIEWS#${r.productId}`,
      GSI1SK: sk,
      GSI2PK: `REVIEWS#${r.productId}#${r.bucket.toUpperCase()}`,
      GSI2SK: sk,
      ...(r.hasPhotos
        ? { GSI3PK: `REVIEWS#${r.productId}#PHOTO`, GSI3SK: sk, GSI4PK: `REVIEWS#${r.productId}#TOP`, GSI4SK: `${r.topScore}#${sk}` }
        : {}),
    };
  },
  reviewListPartition: (productId: string, list: 'ALL' | 'GOOD' | 'NEUTRAL' | 'BAD' | 'PHOTO' | 'TOP') =>
    list === 'ALL' ? `REVIEWS#${productId}` : `REVIEWS#${productId}#${list}`,
  /** One shard of a product's review totals (shards spread concurrent reviews of one product). */
  reviewTotals: (productId: string, shard: number): Key => ({ PK: `REVIEWAGG#${productId}`, SK: `S#${String(shard).padStart(2, '0')}` }),
  reviewTotalsPartition: (productId: string) => `REVIEWAGG#${productId}`,
  feedback: (id: string): Key => ({ PK: `FEEDBACK#${id}`, SK: 'FEEDBACK' }),
  feedbackIndex: (at: number, id: string) => ({ GSI1PK: 'FEEDBACK', GSI1SK: `${String(at).padStart(15, '0')}#${id}` }),
  feedbackPartition: 'FEEDBACK',

  /** State kept by the local WeChat Pay sandbox (the provider's side of the world, not ours). */
  sandboxPayment: (outTradeNo: string): Key => ({ PK: `WXSANDBOX#${outTradeNo}`, SK: 'TRANSACTION' }),
  sandboxPrepay: (prepayId: string): Key => ({ PK: `WXSANDBOX#PREPAY#${prepayId}`, SK: 'PREPAY' }),
  /** A further payment of an out_trade_no that was paid already (the payer paid twice), by its transaction id. */
  sandboxFurtherPayment: (transactionId: string): Key => ({ PK: `WXSANDBOX#PAYMENT#${transactionId}`, SK: 'TRANSACTION' }),
  sandboxRefund: (outRefundNo: string): Key => ({ PK: `WXSANDBOX#REFUND#${outRefundNo}`, SK: 'REFUND' }),
  /** A notification the sandbox's WeChat Pay has not had answered yet, re-sent on WeChat's schedule. */
  sandboxDelivery: (eventId: string): Key => ({ PK: `WXSANDBOX#NOTIFY#${eventId}`, SK: 'NOTIFY' }),
  sandboxDeliveryDue: (dueAt: number, eventId: string) => ({
    GSI3PK: 'DUE#WXSANDBOX_NOTIFY',
    GSI3SK: `${String(dueAt).padStart(15, '0')}#${eventId}`,
  }),
  sandboxDeliveryDuePartition: 'DUE#WXSANDBOX_NOTIFY',

  /** After-sales (docs/after-sales.md): a request in its order's partition, the line it holds open, the order's counter. */
  afterSale: (orderId: string, seq: number): Key => ({ PK: `ORDER#${orderId}`, SK: `AFTERSALE#${String(seq).padStart(4, '0')}` }),
  afterSaleLine: (orderId: string, skuId: string): Key => ({ PK: `ORDER#${orderId}`, SK: `AFTERSALELINE#${skuId}` }),
  afterSaleSeq: (orderId: string): Key => ({ PK: `ORDER#${orderId}`, SK: 'AFTERSALESEQ' }),
  /** A shopper's requests, newest first; every request by its state (the operators' queues). */
  afterSaleIndexes: (userId: string, state: string, createdAt: number, id: string) => ({
    GSI1PK: `USER#${userId}#AFTERSALES`,
    GSI1SK: `${String(createdAt).padStart(15, '0')}#${id}`,
    GSI2PK: `AFTERSALES#${state}`,
    GSI2SK: `${String(createdAt).padStart(15, '0')}#${id}`,
  }),
  userAfterSalesPartition: (userId: string) => `USER#${userId}#AFTERSALES`,
  afterSaleStatePartition: (state: string) => `AFTERSALES#${state}`,
  /** Requests whose next party's deadline runs, by when it is due (the after-sales sweeper's list). */
  afterSaleDue: (dueAt: number, id: string) => ({ GSI3PK: 'DUE#AFTERSALE', GSI3SK: `${String(dueAt).padStart(15, '0')}#${id}` }),
  afterSaleDuePartition: 'DUE#AFTERSALE',

  /** Fulfilment (docs/after-sales.md): an order's parcels, each tracking number once, the receipt due index. */
  parcel: (orderId: string, parcelNo: number): Key => ({ PK: `ORDER#${orderId}`, SK: `PARCEL#${String(parcelNo).padStart(2, '0')}` }),
  parcelPrefix: 'PARCEL#',
  trackingNumber: (carrier: string, trackingNo: string): Key => ({ PK: `TRACKNO#${carrier}#${trackingNo.toUpperCase()}`, SK: 'PARCEL' }),
  /** A shipped order until it is received: the auto-receipt sweeper reads it (moved when tracking says delivered). */
  receiptDue: (dueAt: number, orderId: string) => ({ GSI3PK: 'DUE#RECEIPT', GSI3SK: `${String(dueAt).padStart(15, '0')}#${orderId}` }),
  receiptDuePartition: 'DUE#RECEIPT',
  /** A subscribe message about an order (已发货, 已签收), claimed once before it is sent. */
  orderNotice: (orderId: string, kind: string): Key => ({ PK: `ORDER#${orderId}`, SK: `NOTICE#${kind}` }),
  /** One upload_shipping_info per order and shipment version (claimed before the call, so a replay sends nothing). */
  shippingUpload: (orderId: string, version: number): Key => ({ PK: `ORDER#${orderId}`, SK: `WXSHIPPING#${String(version).padStart(3, '0')}` }),
  /** The operator log: who did what to which target, by UTC day, newest last within a day. */
  opsLog: (at: number, id: string): Key => ({ PK: `OPSLOG#${new Date(at).toISOString().slice(0, 10)}`, SK: `${String(at).padStart(15, '0')}#${id}` }),
  opsLogPartition: (day: string) => `OPSLOG#${day}`,
  /** The local WeChat twin's record of upload_shipping_info calls, by order_key. */
  sandboxShippingCall: (orderKey: string, at: number, id: string): Key => ({ PK: `WXSANDBOX#SHIPPING#${orderKey}`, SK: `${String(at).padStart(15, '0')}#${id}` }),
  sandboxShippingPartition: (orderKey: string) => `WXSANDBOX#SHIPPING#${orderKey}`,
  /** The local 快递100 twin's subscriptions (one partition: a laptop's worth). */
  sandboxTracking: (carrier: string, trackingNo: string): Key => ({ PK: 'KD100SANDBOX', SK: `${carrier}#${trackingNo.toUpperCase()}` }),
  sandboxTrackingPartition: 'KD100SANDBOX',
};

/** Raw events of one day are spread over this many partitions (a day's reader queries each). Never lowered. */
export const EVENT_SHARDS = 16;

function eventShard(userId: string): number {
  return fnv1a32(userId) % EVENT_SHARDS;
}

/** The order-list tab a status belongs to (one tab per status, 全部 aside). */
function tabOf(status: OrderStatus): Exclude<OrderTabKey, 'ALL'> {
  const tab = ORDER_TABS.find((t) => t.key !== 'ALL' && (t.statuses as readonly string[]).includes(status));
  if (!tab) throw new Error(`no tab for status ${status}`);
  return tab.key as Exclude<OrderTabKey, 'ALL'>;
}
