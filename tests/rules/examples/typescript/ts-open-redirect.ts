import type { Context } from "koa";
import type { Request, Response } from "express";
import { lookupHost, getValidatedHost, loadInvite, buildUrl } from "./hosts";

export function afterLogin(ctx: Context) {
  // ruleid: ts-open-redirect
  ctx.redirect(ctx.query.next);
}

export function back(req: Request, res: Response) {
  // ruleid: ts-open-redirect
  res.redirect(req.body.url);
}

// Maps whatever it is given to one of two literals and returns a path on this site.
const signInPath = (mode: string) => {
  const picked = mode === "app" ? "app" : "web";
  return `/sign-in?mode=${picked}`;
};

// Hands back what it was given.
const passThrough = (target: string) => `${target}`;

export function signIn(ctx: Context) {
  // ok: ts-open-redirect
  ctx.redirect(signInPath(ctx.query.mode));
  // ruleid: ts-open-redirect
  ctx.redirect(passThrough(ctx.query.mode));
}

export function canonicalHost(ctx: Context) {
  if (ctx.headers.host === "example.org") {
    // ok: ts-open-redirect
    ctx.redirect(`https://www.${ctx.headers.host}${ctx.path}`);
  } else {
    // ruleid: ts-open-redirect
    ctx.redirect(`https://${ctx.headers.host}/home`);
  }
}

export function pinnedThenReplaced(ctx: Context) {
  let host = ctx.query.host;
  if (host === "example.org") {
    host = ctx.query.other;
    // ruleid: ts-open-redirect
    ctx.redirect(`https://${host}/home`);
  }
}

export async function toOrigin(ctx: Context) {
  const checked = await getValidatedHost(ctx.query.host);
  // ok: ts-open-redirect
  ctx.redirect(`https://${checked}/home`);
  const looked = await lookupHost(ctx.query.host);
  // ruleid: ts-open-redirect
  ctx.redirect(`https://${looked}/home`);
}

export async function invite(ctx: Context) {
  // The record a filter object loaded: its link is the server's data.
  const record = await loadInvite({ id: ctx.params.id, active: true });
  // ok: ts-open-redirect
  ctx.redirect(record.link);
  // ruleid: ts-open-redirect
  ctx.redirect(buildUrl({ host: ctx.query.host, path: "/home" }));
}

export function groupPage(req: Request, res: Response) {
  // The application's own base path first: the client's slug lands after a path on this site.
  // ok: ts-open-redirect
  res.redirect(`${config.relativePath}/groups/${req.params.slug.toLowerCase()}`);
  // ruleid: ts-open-redirect
  res.redirect(`${req.query.base}/groups`);
}
