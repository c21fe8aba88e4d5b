# ruff: noqa  (an annotated example for the rule test, not code that runs)
import xml.dom.minidom
import xml.sax
from xml.sax.handler import feature_external_ges

from lxml import etree


def parse_upload(data):
    parser = xml.sax.make_parser()
    # ruleid: py-xml-external-entities
    parser.setFeature(xml.sax.handler.feature_external_ges, True)
    return xml.dom.minidom.parseString(data, parser)


def parse_feed(data):
    # ruleid: py-xml-external-entities
    parser = etree.XMLParser(resolve_entities=True)
    return etree.fromstring(data, parser)


def parse_safe(data):
    parser = xml.sax.make_parser()
    # ok: py-xml-external-entities
    parser.setFeature(feature_external_ges, False)
    # ok: py-xml-external-entities
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    # ok: py-xml-external-entities
    hardened = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(data, hardened)
