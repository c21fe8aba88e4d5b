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
