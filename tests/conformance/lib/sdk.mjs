// The official SDK, pointed at an emulator.
import notion from "@notionhq/client";
import { token } from "./emulator.mjs";

export const { Client, APIResponseError, UnknownHTTPResponseError, LogLevel, collectPaginatedAPI, isFullPage } = notion;

export function newClient(emulator, options = {}) {
  // No trailing slash on baseUrl: the SDK would send //v1/...
  return new Client({ auth: token, baseUrl: emulator.baseUrl, logLevel: LogLevel.ERROR, ...options });
}

export function text(content) {
  return [{ type: "text", text: { content } }];
}

export function plain(richText) {
  return richText.map((item) => item.plain_text).join("");
}

// An answer without its request_id: Notion puts a fresh one in every body, so two answers about
// the same object compare equal only without it.
export function withoutRequestId(answer) {
  const { request_id: requestId, ...rest } = answer;
  return rest;
}
