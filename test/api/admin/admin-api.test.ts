import { adminApiSuite } from './admin-api-suite.js';
import { describeIfPostgres } from '../../support/services.js';

adminApiSuite('SQLite', () => ({ kind: 'sqlite' }));
await describeIfPostgres('admin API on PostgreSQL', (url) => adminApiSuite('PostgreSQL', () => ({ kind: 'postgres', url })));
