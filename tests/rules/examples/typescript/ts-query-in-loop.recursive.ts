import { Document } from "./models";

export async function deleteTree(document: Document) {
  const destroyChildren = async (parentId: string) => {
    const children = await Document.findAll({ where: { parentDocumentId: parentId } });
    for (const child of children) {
      // ruleid: ts-query-in-loop
      await destroyChildren(child.id);
      await child.destroy();
    }
  };
  await destroyChildren(document.id);
}

async function countNodes(parentId: string): Promise<number> {
  const rows = await Document.findAll({ where: { parentDocumentId: parentId } });
  let total = rows.length;
  for (const row of rows) {
    // ruleid: ts-query-in-loop
    total += await countNodes(row.id);
  }
  return total;
}

// Recursion over a tree already in memory: no query per node.
async function titles(nodes: NavigationNode[]): Promise<string[]> {
  const out: string[] = [];
  for (const node of nodes) {
    out.push(node.title);
    // ok: ts-query-in-loop
    out.push(...(await titles(node.children)));
  }
  return out;
}

// One query for the whole subtree, then a walk in memory.
async function subtree(rootId: string) {
  const rows = await Document.findAll({ where: { rootId } });
  const walk = async (id: string) => {
    for (const row of rows.filter((r) => r.parentId === id)) {
      // ok: ts-query-in-loop
      await walk(row.id);
    }
  };
  await walk(rootId);
}

// The loop queries directly too: one finding, on that query.
async function purge(parentId: number) {
  const subs = await prisma.collection.findMany({ where: { parentId } });
  for (const sub of subs) {
    // ok: ts-query-in-loop
    await purge(sub.id);
    // ruleid: ts-query-in-loop
    const links = await prisma.link.findMany({ where: { collectionId: sub.id } });
    await removeFiles(links);
  }
}
