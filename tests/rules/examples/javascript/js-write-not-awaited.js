async function setTags(db, postId, tags) {
    // The delete may land after the inserts below and remove them.
    // ruleid: js-write-not-awaited
    db.exec("DELETE FROM post_tags WHERE post_id = ?", [postId]);
    for (const tag of tags) {
        await db.exec("INSERT INTO post_tags (post_id, tag) VALUES (?, ?)", [postId, tag]);
    }
}

async function touch(db, id) {
    // Background on purpose, and its failure is logged.
    // ok: js-write-not-awaited
    db.exec("UPDATE posts SET seen_at = now() WHERE id = ?", [id]).catch((err) => log.error(err));
    // Never awaited anywhere in this file: no evidence it returns a promise.
    // ok: js-write-not-awaited
    cache.set(id, Date.now());
}

function legacy(db, id) {
    // Not an async function.
    // ok: js-write-not-awaited
    db.exec("DELETE FROM posts WHERE id = ?", [id]);
}
