/**
 * The one DynamoDB table, defined once. serverless.yml deploys it (`${file(./infra/table.cjs):cloudFormation}`),
 * and the local stack and the integration tests create it from `createTableInput`, so every environment has the
 * same keys and indexes. Key formats themselves live in functions/src/repositories/keys.ts.
 */
const attributes = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK', 'GSI4PK', 'GSI4SK'];

const gsi = (n) => ({
  IndexName: `GSI${n}`,
  KeySchema: [
    { AttributeName: `GSI${n}PK`, KeyType: 'HASH' },
    { AttributeName: `GSI${n}SK`, KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'ALL' },
});

/** Keys, indexes and streams: what every environment shares. */
function baseDefinition(tableName) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributes.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [gsi(1), gsi(2), gsi(3), gsi(4)],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
}

/** Input for the SDK's CreateTableCommand (DynamoDB Local, tests). */
function createTableInput(tableName) {
  return baseDefinition(tableName);
}

/** The CloudFormation properties serverless.yml deploys: the same definition plus what only the cloud has. */
async function cloudFormation({ resolveVariable }) {
  const tableName = await resolveVariable('self:custom.tableName');
  const { StreamSpecification, ...rest } = baseDefinition(tableName);
  return {
    ...rest,
    StreamSpecification: { StreamViewType: StreamSpecification.StreamViewType },
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    SSESpecification: { SSEEnabled: true },
    TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    DeletionProtectionEnabled: true,
  };
}

module.exports = { createTableInput, cloudFormation, attributes };
