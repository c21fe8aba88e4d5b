class ImportService {
    Document parse(InputStream in) throws Exception {
        // ruleid: java-xml-external-entities
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        return factory.newDocumentBuilder().parse(in);
    }

    XMLStreamReader stream(InputStream in) throws Exception {
        // ruleid: java-xml-external-entities
        XMLInputFactory factory = XMLInputFactory.newInstance();
        return factory.createXMLStreamReader(in);
    }
}

class HardenedImport {
    Document parse(InputStream in) throws Exception {
        // ok: java-xml-external-entities
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(in);
    }
}

class Writer {
    void write() throws Exception {
        // Builds documents, parses nothing.
        // ok: java-xml-external-entities
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        Document doc = factory.newDocumentBuilder().newDocument();
    }
}
