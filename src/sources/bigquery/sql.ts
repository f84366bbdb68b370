// The one SQL statement a frontier costs, over bigquery-public-data.crypto_bitcoin (the
// blockchain-etl export: `transactions` with nested inputs/outputs, `blocks`). Every part
// answers rows of three strings — kind, key, a JSON body — so bodies, spenders, histories and
// the tip travel in one result. NUMERIC values are cast to STRING in SQL: they arrive as exact
// integer strings, never through a float. Seeds, txids and addresses are query parameters,
// never spliced into the text. BigQuery bills the columns a query reads over the partitions it
// scans, so where a transaction's block month is known the parts name it
// (block_timestamp_month is the partition column).

import type { BulkRequest } from '../batching.js';

export const DEFAULT_DATASET = 'bigquery-public-data.crypto_bitcoin';

/** A named parameter in the REST shape of jobs.query (QueryParameter). */
export interface QueryParameter {
  name: string;
  parameterType: { type: string; arrayType?: { type: string } };
  parameterValue: { value?: string; arrayValues?: { value: string }[] };
}

export interface FrontierQuery {
  sql: string;
  params: QueryParameter[];
}

/** Block month of each transaction known so far (UTC, 'YYYY-MM-01'), for partition pruning. */
export type MonthHints = ReadonlyMap<string, string>;

const DATASET = /^[A-Za-z0-9_-]+[.:][A-Za-z0-9_]+$/;

export function checkDataset(dataset: string): string {
  if (!DATASET.test(dataset))
    throw new RangeError(`dataset ${JSON.stringify(dataset)} is not project.dataset`);
  return dataset;
}

function strings(name: string, values: readonly string[]): QueryParameter {
  return {
    name,
    parameterType: { type: 'ARRAY', arrayType: { type: 'STRING' } },
    parameterValue: { arrayValues: values.map((value) => ({ value })) },
  };
}

function dates(name: string, values: readonly string[]): QueryParameter {
  return {
    name,
    parameterType: { type: 'ARRAY', arrayType: { type: 'DATE' } },
    parameterValue: { arrayValues: values.map((value) => ({ value })) },
  };
}

function scalar(name: string, type: string, value: string): QueryParameter {
  return { name, parameterType: { type }, parameterValue: { value } };
}

/** The JSON body of one transaction row (field names are what rows.ts reads). */
const TX_BODY_TEMPLATE = `TO_JSON_STRING(STRUCT(
    t.hash AS hash, t.size AS size, t.virtual_size AS vsize, t.version AS version,
    t.lock_time AS locktime, t.block_hash AS block_hash, t.block_number AS height,
    UNIX_SECONDS(t.block_timestamp) AS time, t.is_coinbase AS coinbase,
    CAST(t.fee AS STRING) AS fee, t.input_count AS nin, t.output_count AS nout,
    IF(t.is_coinbase, (SELECT b.coinbase_param FROM \`%DATASET%.blocks\` AS b
      WHERE b.number = t.block_number AND b.timestamp_month = t.block_timestamp_month), NULL) AS coinbase_script,
    ARRAY(SELECT AS STRUCT i.index AS n, i.spent_transaction_hash AS txid,
        i.spent_output_index AS vout, i.script_hex AS scriptsig, i.sequence AS sequence,
        i.type AS type, i.addresses AS addresses, CAST(i.value AS STRING) AS value
      FROM UNNEST(t.inputs) AS i ORDER BY i.index) AS vin,
    ARRAY(SELECT AS STRUCT o.index AS n, o.script_hex AS script, o.type AS type,
        CAST(o.value AS STRING) AS value
      FROM UNNEST(t.outputs) AS o ORDER BY o.index) AS vout))`;

/** The body expression for a dataset (the coinbase's input script is kept on its block row). */
function txBody(dataset: string): string {
  return TX_BODY_TEMPLATE.replaceAll('%DATASET%', dataset);
}

/** Every month in the hints, when all the txids have one; otherwise null (scan every month). */
function monthsOf(txids: readonly string[], hints: MonthHints): string[] | null {
  const months = new Set<string>();
  for (const t of txids) {
    const m = hints.get(t);
    if (m === undefined) return null;
    months.add(m);
  }
  return [...months].sort();
}

/** The statement answering one frontier: bodies, spenders, histories and the tip as asked. */
export function frontierQuery(req: BulkRequest, hints: MonthHints, dataset = DEFAULT_DATASET): FrontierQuery {
  const d = checkDataset(dataset);
  const txTable = `\`${d}.transactions\``;
  const params: QueryParameter[] = [];
  const parts: string[] = [];
  let withClause = '';
  // Bodies of the transactions asked and of those whose spenders are asked: an outspends answer
  // needs its transaction's output count, and the walk reads the body next anyway.
  const bodies = [...new Set([...req.txids, ...req.outspends])].sort();
  if (bodies.length > 0) {
    params.push(strings('txids', bodies));
    const months = monthsOf(bodies, hints);
    let where = 't.hash IN UNNEST(@txids)';
    if (months) {
      params.push(dates('tx_months', months));
      where += ' AND t.block_timestamp_month IN UNNEST(@tx_months)';
    }
    parts.push(
      `SELECT 'tx' AS kind, t.hash AS k, ${txBody(d)} AS body\n  FROM ${txTable} AS t WHERE ${where}`,
    );
  }
  if (req.outspends.length > 0) {
    params.push(strings('spent', req.outspends));
    // A spender is never in an earlier block than what it spends.
    const months = monthsOf(req.outspends, hints);
    let where = 'i.spent_transaction_hash IN UNNEST(@spent)';
    if (months) {
      params.push(scalar('spent_from', 'DATE', months[0]!));
      where += ' AND t.block_timestamp_month >= @spent_from';
    }
    parts.push(
      `SELECT 'spend' AS kind, i.spent_transaction_hash AS k, TO_JSON_STRING(STRUCT(
    i.spent_output_index AS vout, t.hash AS txid, i.index AS vin, t.block_number AS height,
    t.block_hash AS block_hash, UNIX_SECONDS(t.block_timestamp) AS time)) AS body
  FROM ${txTable} AS t, UNNEST(t.inputs) AS i WHERE ${where}`,
    );
  }
  if (req.histories.length > 0) {
    params.push(
      strings(
        'addresses',
        req.histories.map((h) => h.address),
      ),
    );
    // One more than the largest limit asked tells a cut history from a complete one.
    const limit = Math.max(...req.histories.map((h) => h.maxTxs)) + 1;
    params.push(scalar('history_limit', 'INT64', String(limit)));
    withClause = `WITH touched AS (
  SELECT x AS address, t.hash AS hash, t.block_number AS height
    FROM ${txTable} AS t, UNNEST(t.outputs) AS o, UNNEST(o.addresses) AS x
    WHERE x IN UNNEST(@addresses)
  UNION DISTINCT
  SELECT x AS address, t.hash AS hash, t.block_number AS height
    FROM ${txTable} AS t, UNNEST(t.inputs) AS i, UNNEST(i.addresses) AS x
    WHERE x IN UNNEST(@addresses)
),
kept AS (
  SELECT address, hash, height FROM (
    SELECT address, hash, height,
      ROW_NUMBER() OVER (PARTITION BY address ORDER BY height DESC, hash DESC) AS rn
    FROM touched)
  WHERE rn <= @history_limit
)
`;
    parts.push(
      `SELECT 'hist' AS kind, address AS k, TO_JSON_STRING(STRUCT(hash AS hash, height AS height)) AS body FROM kept`,
      `SELECT 'tx' AS kind, t.hash AS k, ${txBody(d)} AS body\n  FROM ${txTable} AS t WHERE t.hash IN (SELECT hash FROM kept)`,
    );
  }
  if (req.tip) {
    parts.push(
      `SELECT 'tip' AS kind, '' AS k, CAST(MAX(b.number) AS STRING) AS body FROM \`${d}.blocks\` AS b`,
    );
  }
  if (parts.length === 0) throw new RangeError('an empty frontier has no query');
  return { sql: `-- btctrace frontier\n${withClause}${parts.join('\nUNION ALL\n')}`, params };
}

/** One address's totals (the `address` command): funded and spent outputs, transactions. */
export function addressStatsQuery(address: string, dataset = DEFAULT_DATASET): FrontierQuery {
  const t = `\`${checkDataset(dataset)}.transactions\``;
  const sql = `-- btctrace address stats
WITH funded AS (
  SELECT COUNT(*) AS n, CAST(IFNULL(SUM(o.value), 0) AS STRING) AS s
  FROM ${t} AS t, UNNEST(t.outputs) AS o WHERE @address IN UNNEST(o.addresses)
),
spent AS (
  SELECT COUNT(*) AS n, CAST(IFNULL(SUM(i.value), 0) AS STRING) AS s
  FROM ${t} AS t, UNNEST(t.inputs) AS i WHERE @address IN UNNEST(i.addresses)
),
txs AS (
  SELECT COUNT(*) AS n FROM ${t} AS t
  WHERE EXISTS(SELECT 1 FROM UNNEST(t.outputs) AS o WHERE @address IN UNNEST(o.addresses))
     OR EXISTS(SELECT 1 FROM UNNEST(t.inputs) AS i WHERE @address IN UNNEST(i.addresses))
)
SELECT 'stats' AS kind, @address AS k, TO_JSON_STRING(STRUCT(
    funded.n AS funded_count, funded.s AS funded_sum, spent.n AS spent_count, spent.s AS spent_sum,
    txs.n AS tx_count)) AS body
FROM funded, spent, txs`;
  return { sql, params: [scalar('address', 'STRING', address)] };
}

/** Block month of a block time (seconds, UTC), as the partition column holds it. */
export function monthOf(time: number): string {
  const d = new Date(time * 1000);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-01`;
}
