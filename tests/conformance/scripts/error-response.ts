// The error body Notion answers with. The SDK parses it (errors.js, buildRequestError) but does not
// export a type for it, so this file states it from the SDK's own code list.
import type { APIErrorCode } from "@notionhq/client";

export type ErrorResponse = {
  object: "error";
  status: number;
  // APIErrorCode are the codes the SDK turns into APIResponseError; the API also answers
  // missing_version and bad_gateway, which the SDK reports as UnknownHTTPResponseError.
  code: `${APIErrorCode}` | "missing_version" | "bad_gateway";
  message: string;
  request_id: string;
  additional_data?: Record<string, string | string[]>;
};
