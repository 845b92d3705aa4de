import { ApiError, type Problem } from "./client";
import { currentToken } from "../auth/session";

/** The presigned POST's form: its fields first (S3 reads the policy before the file), the file last. */
export function uploadForm(fields: Record<string, string>, file: Blob, filename: string): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", file, filename);
  return form;
}

/** Post a file straight to the bucket with the upload ticket's presigned form, telling progress (0..1).
 * XMLHttpRequest, not fetch: only it reports an upload's progress. */
export function postToBucket(
  upload: { url: string; fields: Record<string, string> },
  file: File,
  onProgress: (fraction: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", upload.url);
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    });
    request.addEventListener("load", () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(new UploadFailed(request.status));
      }
    });
    request.addEventListener("error", () => reject(new UploadFailed(0)));
    request.addEventListener("abort", () => reject(new UploadFailed(0)));
    request.send(uploadForm(upload.fields, file, file.name));
  });
}

/** The bucket refused the file, or the network failed (status 0). */
export class UploadFailed extends Error {
  constructor(readonly status: number) {
    super(`upload failed (${status ? `HTTP ${status}` : "network"})`);
  }
}

/** The file name of an answer's Content-Disposition (RFC 6266: filename* in UTF-8 first). */
export function filenameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // a malformed escape: fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/.exec(disposition);
  const name = (plain?.[1] ?? plain?.[2] ?? "").trim();
  return name || fallback;
}

/** Fetch a file the API serves only with the bearer token (a plain link carries none), then offer it as a
 * download. The API's problem (Thai and English) becomes an ApiError. */
export async function download(path: string, accept: string, fallbackName: string): Promise<string> {
  const token = currentToken();
  const answer = await fetch(path, {
    headers: { Accept: accept, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  if (!answer.ok) {
    let problem: Partial<Problem> = {};
    try {
      problem = (await answer.json()) as Partial<Problem>;
    } catch {
      // not a problem document: the status says it
    }
    throw new ApiError(answer.status, problem);
  }
  const name = filenameOf(answer.headers.get("Content-Disposition"), fallbackName);
  const url = URL.createObjectURL(await answer.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
