import { tablesOf, type ReadDb } from '../projections/projection';
import { auditProjection, AuditTreeTables } from './audit.projection';

/**
 * The audit projection's tables, for reading: the tree's size, leaves by event id or index, and its
 * nodes as the NodeReader that roots and proofs are computed from. Synchronous by contract: roots
 * and proofs (src/audit/merkle) are synchronous recursions over O(log n) node reads, and the signer
 * checks the tree against the last checkpoint and signs in the same turn. Its tables exist once the
 * projection runner has started (at bootstrap): open it after that.
 */
export function openAuditTree(db: ReadDb): AuditTreeTables {
  return new AuditTreeTables(db, tablesOf(auditProjection.name));
}
