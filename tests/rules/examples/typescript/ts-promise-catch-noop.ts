export async function notify(mail: Mail) {
  // ruleid: ts-promise-catch-noop
  send(mail).catch(() => {});
  // ruleid: ts-promise-catch-noop
  send(mail).catch(() => null);
  // ok: ts-promise-catch-noop
  send(mail).catch((err) => logger.warn({ err }, "mail failed"));
}

export async function ensureCacheDir(path: string) {
  // The folder may exist already.
  // ok: ts-promise-catch-noop
  await FileSystem.makeDirectoryAsync(path, { intermediates: true }).catch(() => {});
  // ok: ts-promise-catch-noop
  await fs.promises.mkdir(path, { recursive: true }).catch(() => {});
}

export async function archive(url: string) {
  // ruleid: ts-promise-catch-noop
  await axios.get(`https://archive.example/save/${url}`).then(() => undefined).catch((error) => {});
}

export async function readConfig(res: Response) {
  // A fallback value the next line checks.
  // ok: ts-promise-catch-noop
  const data = await res.json().catch(() => null);
  if (!data) throw new Error("CONFIG");
  return data;
}

export async function render(handle: Handle, page: Page) {
  try {
    await handle.render(page);
  } finally {
    // Cleanup after the work: its failure changes nothing.
    // ok: ts-promise-catch-noop
    await handle.cleanup().catch(() => {});
    // ok: ts-promise-catch-noop
    await page.context?.close().catch(() => {});
    // ok: ts-promise-catch-noop
    await FileSystem.deleteAsync(tmpPath, { idempotent: true }).catch(() => {});
  }
}
