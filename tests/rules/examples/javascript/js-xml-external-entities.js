const libxmljs = require('libxmljs');

function parseUpload(req) {
  // ruleid: js-xml-external-entities
  const doc = libxmljs.parseXml(req.body, { noent: true });
  return doc;
}

function parseSafely(req) {
  // ok: js-xml-external-entities
  const doc = libxmljs.parseXml(req.body, { noent: false, nonet: true });
  // ok: js-xml-external-entities
  const other = libxmljs.parseXmlString(req.body);
  return [doc, other];
}
