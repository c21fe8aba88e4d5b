import escape from "lodash/escape";
import type { Context } from "koa";

export const renderShare = async (ctx: Context) => {
  const { shareId } = ctx.params;
  let headTags = `<meta name="robots" content="noindex" />`;
  headTags += `<link rel="sitemap" href="/api/shares.sitemap?id=${shareId}">`;
  // Koa sends a string body as text/html: the share id from the path goes into the page as it is.
  // ruleid: ts-html-from-request
  ctx.body = page.replace(/\{head-tags\}/g, headTags);
};

export const renderEscaped = async (ctx: Context) => {
  const { shareId } = ctx.params;
  const headTags = `<link rel="sitemap" href="/api/shares.sitemap?id=${escape(shareId)}">`;
  // ok: ts-html-from-request
  ctx.body = page.replace(/\{head-tags\}/g, headTags);
};

export const shareJson = async (ctx: Context) => {
  const { shareId } = ctx.params;
  // Not markup: a JSON body.
  // ok: ts-html-from-request
  ctx.body = { data: { id: shareId } };
};

export const renderStatic = async (ctx: Context) => {
  const title = "Outline";
  // ok: ts-html-from-request
  ctx.body = `<html><head><title>${title}</title></head></html>`;
};
