export async function notify(mail) {
  // ruleid: js-promise-catch-noop
  send(mail).catch(() => {});
  // ok: js-promise-catch-noop
  send(mail).catch((err) => logger.warn({ err }, "mail failed"));
}

export async function archive(url) {
  // ruleid: js-promise-catch-noop
  await axios.get(`https://archive.example/save/${url}`).then(() => undefined).catch((error) => {});
}

export async function readConfig(res) {
  // A fallback value the next line checks.
  // ok: js-promise-catch-noop
  const data = await res.json().catch(() => null);
  if (!data) throw new Error("CONFIG");
  return data;
}

export async function render(handle, page) {
  try {
    await handle.render(page);
  } finally {
    // Cleanup after the work: its failure changes nothing.
    // ok: js-promise-catch-noop
    await handle.cleanup().catch(() => {});
    // ok: js-promise-catch-noop
    await fs.promises.unlink(tmpPath).catch(() => {});
  }
}
