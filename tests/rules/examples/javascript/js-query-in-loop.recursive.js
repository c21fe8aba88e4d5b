const { Document } = require("./models");

async function deleteTree(document) {
  const destroyChildren = async (parentId) => {
    const children = await Document.findAll({ where: { parentDocumentId: parentId } });
    for (const child of children) {
      // ruleid: js-query-in-loop
      await destroyChildren(child.id);
      await child.destroy();
    }
  };
  await destroyChildren(document.id);
}

async function countNodes(parentId) {
  const rows = await Document.findAll({ where: { parentDocumentId: parentId } });
  let total = rows.length;
  for (const row of rows) {
    // ruleid: js-query-in-loop
    total += await countNodes(row.id);
  }
  return total;
}

// Recursion over a tree already in memory: no query per node.
async function titles(nodes) {
  const out = [];
  for (const node of nodes) {
    out.push(node.title);
    // ok: js-query-in-loop
    out.push(...(await titles(node.children)));
  }
  return out;
}

// One query for the whole subtree, then a walk in memory.
async function subtree(rootId) {
  const rows = await Document.findAll({ where: { rootId } });
  const walk = async (id) => {
    for (const row of rows.filter((r) => r.parentId === id)) {
      // ok: js-query-in-loop
      await walk(row.id);
    }
  };
  await walk(rootId);
}
}

// The loop queries directly too: one finding, on that query.
async function purge(parentId) {
  const subs = await prisma.collection.findMany({ where: { parentId } });
  for (const sub of subs) {
    // ok: js-query-in-loop
    await purge(sub.id);
    // ruleid: js-query-in-loop
    const links = await prisma.link.findMany({ where: { collectionId: sub.id } });
    await removeFiles(links);
  }
}
