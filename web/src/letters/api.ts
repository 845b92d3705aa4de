// The API calls the letter screens make, each answer unwrapped (an ApiError carries the API's own Thai
// and English words). The waits here are short and bounded: the caller waits for their own action.
import { useQuery } from "@tanstack/react-query";
import { api, ApiError, unwrap } from "../api/client";
import type { components } from "../api/schema";
import type { DraftOps } from "./saver";
import { pollUntil } from "./poll";

export type DocumentView = components["schemas"]["DocumentView"];
export type ValidationReport = components["schemas"]["ValidationReport"];

const path = (documentId: string) => ({ params: { path: { document_id: documentId } } });

export async function getDocument(documentId: string): Promise<DocumentView> {
  return unwrap(await api.GET("/v1/documents/{document_id}", path(documentId)));
}

/** A file the checks refused, said as the API says a refusal. */
function refused(rejection: components["schemas"]["Rejection"] | null): ApiError {
  return new ApiError(422, {
    detail: rejection?.message_en ?? "the rendered file was refused",
    detail_th: rejection?.message_th ?? "ไฟล์ที่จัดทำไม่ผ่านการตรวจสอบ",
  });
}

export const draftOps: DraftOps = {
  async create(draft) {
    return unwrap(await api.POST("/v1/documents", { body: draft })).id;
  },
  async revise(documentId, draft) {
    unwrap(await api.PUT("/v1/documents/{document_id}", { ...path(documentId), body: draft }));
  },
  async render(documentId) {
    return unwrap(await api.POST("/v1/documents/{document_id}/render", path(documentId))).file.id;
  },
  async ready(documentId, fileId) {
    const document = await pollUntil(
      () => getDocument(documentId),
      (d) => d.files.some((f) => f.id === fileId && f.status !== "pending"),
      { everyMs: 500, forMs: 60_000 },
    );
    const file = document.files.find((f) => f.id === fileId);
    if (file?.status !== "ready") throw refused(file?.rejection ?? null);
  },
};

/** The document's PDF as it stands (signed if signed), validated by the API against the trust list. */
export async function validateCurrentPdf(documentId: string): Promise<ValidationReport> {
  const pdf = await api.GET("/v1/documents/{document_id}/pdf/content", { ...path(documentId), parseAs: "blob" });
  if (!pdf.response.ok || !pdf.data) unwrap({ ...pdf, data: undefined });
  const report = unwrap(
    await api.POST("/v1/validate", {
      params: { query: { format: "json" } },
      body: pdf.data as unknown as string,
      bodySerializer: (body: unknown) => body as Blob,
      headers: { "Content-Type": "application/pdf" },
    }),
  );
  // format=json: the report (the answer's other form, text/html, is asked for with format=html)
  return report as ValidationReport;
}

export function useUsers() {
  return useQuery({
    queryKey: ["users"],
    queryFn: async () => unwrap(await api.GET("/v1/users")).users,
    staleTime: 5 * 60_000,
  });
}

export function useMe() {
  return useQuery({
    queryKey: ["me"],
    queryFn: async () => unwrap(await api.GET("/v1/me")),
    staleTime: 5 * 60_000,
  });
}
