import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";
import { currentToken } from "../auth/session";

export type Problem = components["schemas"]["Problem"];

/** An API refusal, carrying the problem details (RFC 9457) with the API's own Thai and English words. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Partial<Problem>;

  constructor(status: number, problem: Partial<Problem>) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }

  /** What a person reads: the API's Thai message in Thai, its English one otherwise. */
  said(language: string): string {
    const thai = this.problem.detail_th ?? this.problem.title_th;
    const english = this.problem.detail ?? this.problem.title;
    return (language === "th" ? thai ?? english : english ?? thai) ?? `HTTP ${this.status}`;
  }
}

const bearer: Middleware = {
  onRequest({ request }) {
    const token = currentToken();
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: globalThis.location.origin });
api.use(bearer);

/** The answer's data, or an ApiError with the problem the API gave. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) {
    const problem = (typeof result.error === "object" && result.error !== null ? result.error : {}) as Partial<Problem>;
    throw new ApiError(result.response.status, problem);
  }
  return result.data;
}
