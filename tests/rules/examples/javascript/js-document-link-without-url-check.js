import { sanitizeUrl } from "../../utils/urls";

export default class Mention extends Node {
  get schema() {
    return {
      attrs: { href: { default: null }, type: {}, modelId: {} },
      toDOM: (node) => [
        "a",
        {
          // ruleid: js-document-link-without-url-check
          href:
            node.attrs.type === "document"
              ? `${env.URL}/doc/${node.attrs.modelId}`
              : node.attrs.href,
        },
      ],
    };
  }
}

export class Link extends Mark {
  toDOM(node) {
    return [
      "a",
      {
        // ok: js-document-link-without-url-check
        href: sanitizeUrl(node.attrs.href),
        rel: "noopener noreferrer nofollow",
      },
    ];
  }
}

export const Attachment = {
  renderHTML({ node }) {
    // ruleid: js-document-link-without-url-check
    return ["a", { href: node.attrs.href, download: node.attrs.name }];
  },
};

export const DocumentLink = {
  toDOM: (node) => [
    "a",
    {
      // A path on this site built from an id.
      // ok: js-document-link-without-url-check
      href: `/doc/${node.attrs.href}`,
    },
  ],
};

// Outside the DOM spec: a value passed around, not rendered by the editor.
// ok: js-document-link-without-url-check
const payload = { href: node.attrs.href };
