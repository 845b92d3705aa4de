import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";

export type Settings = components["schemas"]["ArchiveSettings"];
export type RetentionClass = components["schemas"]["RetentionClass"];
export type StoredLine = components["schemas"]["StoredLine"];
export type Storage = components["schemas"]["ArchiveView"];
export type DestructionList = components["schemas"]["DestructionListView"];
export type DestructionRow = components["schemas"]["DestructionRow"];
export type Loan = components["schemas"]["LoanView"];
export type TransferList = components["schemas"]["TransferListView"];
export type TransferRow = components["schemas"]["TransferRow"];

/** Every query of the area starts with this key: one invalidation refreshes the lot after a change. */
export const ARCHIVE = "archive";

export function useSettings() {
  return useQuery({
    queryKey: [ARCHIVE, "settings"],
    queryFn: async () => unwrap(await api.GET("/v1/archive/settings")),
    staleTime: 60_000,
  });
}

export function useStoredRegister(year: number) {
  return useQuery({
    queryKey: [ARCHIVE, "register", year],
    queryFn: async () => unwrap(await api.GET("/v1/archive/register", { params: { query: { year } } })),
  });
}

export function useStorage(documentId: string | null) {
  return useQuery({
    queryKey: [ARCHIVE, "storage", documentId ?? ""],
    queryFn: async () =>
      unwrap(await api.GET("/v1/documents/{document_id}/storage", { params: { path: { document_id: documentId ?? "" } } })),
    enabled: documentId !== null,
  });
}

export function useDestructionLists() {
  return useQuery({
    queryKey: [ARCHIVE, "destruction"],
    queryFn: async () => unwrap(await api.GET("/v1/archive/destruction-lists")).lists,
  });
}

export function useDestructionList(year: number) {
  return useQuery({
    queryKey: [ARCHIVE, "destruction", year],
    queryFn: async () => unwrap(await api.GET("/v1/archive/destruction-lists/{year}", { params: { path: { year } } })),
  });
}

/** Every line of a list, page after page (a year's list is hundreds of lines at most). */
export function useDestructionRows(year: number, enabled: boolean) {
  return useQuery({
    queryKey: [ARCHIVE, "destruction", year, "rows"],
    enabled,
    queryFn: async () => {
      const rows: DestructionRow[] = [];
      let after = 0;
      for (;;) {
        const page = unwrap(
          await api.GET("/v1/archive/destruction-lists/{year}/rows", { params: { path: { year }, query: { after, limit: 500 } } }),
        );
        rows.push(...page.rows);
        if (page.next_after === null) return rows;
        after = page.next_after;
      }
    },
  });
}

export function useLoans(overdue: boolean) {
  return useQuery({
    queryKey: [ARCHIVE, "loans", overdue],
    queryFn: async () => unwrap(await api.GET("/v1/archive/loans", { params: { query: { overdue } } })).loans,
  });
}

export function useTransferLists() {
  return useQuery({
    queryKey: [ARCHIVE, "transfers"],
    queryFn: async () => unwrap(await api.GET("/v1/archive/transfers")).lists,
  });
}

export function useTransferRows(year: number | null) {
  return useQuery({
    queryKey: [ARCHIVE, "transfers", year ?? 0, "rows"],
    enabled: year !== null,
    queryFn: async () => {
      const rows: TransferRow[] = [];
      let after = 0;
      for (;;) {
        const page = unwrap(
          await api.GET("/v1/archive/transfers/{year}/rows", { params: { path: { year: year ?? 0 }, query: { after, limit: 500 } } }),
        );
        rows.push(...page.rows);
        if (page.next_after === null) return rows;
        after = page.next_after;
      }
    },
  });
}

export type LegacyImported = components["schemas"]["LegacyImported"];
export type LegacyLine = components["schemas"]["LegacyLine"];
export type LegacyBook = components["schemas"]["LegacyBook"];
export type LegacyBookSummary = components["schemas"]["LegacyBookSummary"];

/** The imported books, each with the years it holds and their line counts (refetched after an import:
 * its key is under [ARCHIVE, "legacy"]). */
export function useLegacyBooks(enabled = true) {
  return useQuery({
    queryKey: [ARCHIVE, "legacy", "books"],
    queryFn: async () => unwrap(await api.GET("/v1/archive/legacy-books")).books,
    enabled,
  });
}

/** An imported (paper-era) register book's year, in its numbers' order. */
export function useLegacyBook(bookId: string, year: number) {
  return useQuery({
    queryKey: [ARCHIVE, "legacy", bookId, year],
    queryFn: async () =>
      unwrap(await api.GET("/v1/archive/legacy-books/{book_id}", { params: { path: { book_id: bookId }, query: { year } } })),
  });
}
