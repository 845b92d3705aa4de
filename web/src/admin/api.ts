import { useQuery } from "@tanstack/react-query";
import { api, ApiError, unwrap, type Problem } from "../api/client";
import { currentToken } from "../auth/session";

/** The agency's active users (GET /v1/users), in Thai dictionary order of their names. */
export function useUsers() {
  return useQuery({
    queryKey: ["admin", "users"],
    queryFn: async () => unwrap(await api.GET("/v1/users")).users,
    staleTime: 60_000,
  });
}

/** The agency's units (GET /v1/users answers them too), parents first, with their names. */
export function useUnits() {
  return useQuery({
    queryKey: ["admin", "units"],
    queryFn: async () => unwrap(await api.GET("/v1/users")).units,
    staleTime: 60_000,
  });
}

/** The image types the API takes for the emblem, by the file's name when the browser gives no type. */
export function emblemType(file: File): string | null {
  const type = file.type.toLowerCase();
  if (type === "image/png" || type === "image/jpeg" || type === "image/svg+xml") return type;
  const name = file.name.toLowerCase();
  if (name.endsWith(".png")) return "image/png";
  if (name.endsWith(".jpg") || name.endsWith(".jpeg")) return "image/jpeg";
  if (name.endsWith(".svg")) return "image/svg+xml";
  return null;
}

/** PUT /v1/agency/emblem with the image's own bytes; the API checks them and says why it refuses. */
export async function putEmblem(file: File, type: string): Promise<unknown> {
  const token = currentToken();
  const answer = await fetch("/v1/agency/emblem", {
    method: "PUT",
    headers: { "Content-Type": type, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: file,
  });
  let body: unknown = null;
  try {
    body = await answer.json();
  } catch {
    // no JSON: the status says it
  }
  if (!answer.ok) {
    const problem: Partial<Problem> = typeof body === "object" && body !== null ? body : {};
    throw new ApiError(answer.status, problem);
  }
  return body;
}
