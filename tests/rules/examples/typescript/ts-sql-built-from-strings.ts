import type { Request, Response } from "express";
import { db, conditionsFor } from "./db";

export async function search(req: Request, res: Response) {
  // ruleid: ts-sql-built-from-strings
  const rows = await db.query(`SELECT id FROM docs WHERE title = '${req.query.title}'`);
  res.json(rows);
}

export async function children(filter: Record<string, unknown>) {
  // The filter goes to the ORM's generator as an options object: what comes back is the generator's text.
  const where = db.generator.whereConditions({ ...filter, deletedAt: null }, "docs");
  // ok: ts-sql-built-from-strings
  return db.query(`SELECT id FROM docs WHERE ${where}`);
}

export async function siblings(filter: string) {
  // A fragment built from a parameter: its callers, not visible here, decide what it holds; on real code such
  // fragments are conditions the code writes, with the values bound.
  const where = conditionsFor(filter);
  // ok: ts-sql-built-from-strings
  return db.query(`SELECT id FROM docs WHERE ${where}`);
}

export async function byKey(key: string) {
  // pg binds a query config's `values` beside the `$1` in its text.
  // ok: ts-sql-built-from-strings
  return db.query({ name: "byKey", text: "SELECT data FROM objects WHERE key = $1", values: [key] });
}

export async function byKeySpliced(key: string) {
  // ruleid: ts-sql-built-from-strings
  return db.query({ text: `SELECT data FROM objects WHERE key = '${key}'`, values: [] });
}
