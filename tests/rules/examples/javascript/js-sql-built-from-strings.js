const express = require("express");
const db = require("../db");

const router = express.Router();
const SORTABLE = { created: "created_at", title: "title" };

router.get("/tickets", async (req, res) => {
  const project = req.query.project;
  // ruleid: js-sql-built-from-strings
  const bad = await db.query(`SELECT id FROM tickets WHERE project = '${project}'`);
  let sql = "SELECT id FROM tickets WHERE owner = '" + req.query.owner + "'";
  // ruleid: js-sql-built-from-strings
  const worse = await db.query(sql);
  // ok: js-sql-built-from-strings
  const good = await db.query("SELECT id FROM tickets WHERE project = $1", [project]);
  const sort = SORTABLE[req.query.sort] || "created_at";
  const direction = req.query.dir === "asc" ? "ASC" : "DESC";
  // ok: js-sql-built-from-strings
  const sorted = await db.query(`SELECT id FROM tickets ORDER BY ${sort} ${direction}`);
  const page = parseInt(req.query.page, 10) || 0;
  // ok: js-sql-built-from-strings
  const paged = await db.query(`SELECT id FROM tickets ORDER BY id LIMIT 50 OFFSET ${page * 50}`);
  // ruleid: js-sql-built-from-strings
  const ordered = await db("tickets").orderByRaw(req.query.order).limit(50);
  // ok: js-sql-built-from-strings
  const bound = await db("tickets").whereRaw("id = ?", [req.query.id]);
  // A query config object: pg sends `values` as bound parameters, next to the `$1` in its text.
  // ok: js-sql-built-from-strings
  const config = await db.query({ name: "byId", text: "SELECT id FROM tickets WHERE id = $1", values: [req.query.id] });
  const values = [req.query.owner];
  // ok: js-sql-built-from-strings
  const shorthand = await db.query({ text: "SELECT id FROM tickets WHERE owner = $1", values });
  // ruleid: js-sql-built-from-strings
  const spliced = await db.query({ text: `SELECT id FROM tickets WHERE owner = '${req.query.owner}'`, values: [] });
  res.json({ bad, worse, good, sorted, paged, ordered, bound, config, shorthand, spliced });
});

module.exports = router;
