const libxmljs = require('libxmljs');

function parseUpload(req) {
  // ruleid: ts-xml-external-entities
  const doc = libxmljs.parseXml(req.body, { noent: true });
  return doc;
}

function parseSafely(req) {
  // ok: ts-xml-external-entities
  const doc = libxmljs.parseXml(req.body, { noent: false, nonet: true });
  // ok: ts-xml-external-entities
  const other = libxmljs.parseXmlString(req.body);
  return [doc, other];
}
