import axios from "axios";
import { Request, Response } from "express";

const ALLOWED_HOSTS = new Set(["images.example.com"]);

export async function preview(req: Request, res: Response) {
  const url = String(req.query.url);
  // ruleid: ts-ssrf-from-request
  const page = await fetch(url, { signal: AbortSignal.timeout(5000) });
  // ok: ts-ssrf-from-request
  const user = await fetch(`https://api.example.com/users/${req.params.id}`, { signal: AbortSignal.timeout(5000) });
  res.json({ status: page.status, user: await user.json() });
}

export async function proxy(req: Request, res: Response) {
  let target: URL;
  try {
    target = new URL(String(req.query.src));
  } catch {
    return res.status(400).json({ error: "bad url" });
  }
  if (target.protocol !== "https:" || !ALLOWED_HOSTS.has(target.hostname)) {
    return res.status(400).json({ error: "host not allowed" });
  }
  // ok: ts-ssrf-from-request
  const upstream = await axios.get(target.href, { timeout: 5000 });
  return res.send(upstream.data);
}
