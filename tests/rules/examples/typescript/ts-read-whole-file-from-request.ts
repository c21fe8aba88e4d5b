import fs from 'fs';
import path from 'path';

app.get('/files/:name', (req, res) => {
  const file = path.join(UPLOAD_DIR, req.params.name);
  // ruleid: ts-read-whole-file-from-request
  fs.readFile(file, (err, data) => res.end(data));
});

app.get('/admin/*', (req, res) => {
  let pathname = path.join(ADMIN_PATH, req.url);
  pathname = path.normalize(pathname);
  if (!pathname.startsWith(ADMIN_PATH)) {
    res.statusCode = 403;
    return res.end('Forbidden');
  }
  // ok: ts-read-whole-file-from-request
  fs.readFile(pathname, (err, data) => res.end(data));
});

app.get('/docs/*', (req, res) => {
  const pathname = path.join(DOCS_DIR, req.url);
  if (!pathname.startsWith(DOCS_DIR)) {
    console.warn('outside docs', pathname);
  }
  // ruleid: ts-read-whole-file-from-request
  fs.readFile(pathname, (err, data) => res.end(data));
});
