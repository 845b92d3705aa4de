import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";

export type Committee = components["schemas"]["CommitteeView"];
export type MeetingView = components["schemas"]["MeetingView"];
export type MeetingSummary = components["schemas"]["MeetingSummary"];
export type AgendaItem = components["schemas"]["AgendaItemView"];
export type Invitee = components["schemas"]["Invitee"];
export type Attendance = components["schemas"]["AttendanceView"];
export type ScheduleMeeting = components["schemas"]["ScheduleMeeting"];
export type CommitteeCommand = components["schemas"]["chalicelib__meetings__models__CommitteeCommand"];
export type UserSummary = components["schemas"]["UserSummary"];

const ATTENDANCE_POLL_MS = 30_000;

export function useCommittees() {
  return useQuery({
    queryKey: ["committees"],
    queryFn: async () => unwrap(await api.GET("/v1/committees")).items,
  });
}

export function useCommittee(committeeId: string | null | undefined) {
  return useQuery({
    queryKey: ["committee", committeeId ?? ""],
    queryFn: async () =>
      unwrap(await api.GET("/v1/committees/{committee_id}", { params: { path: { committee_id: committeeId ?? "" } } })),
    enabled: Boolean(committeeId),
  });
}

export function useMeetings() {
  return useQuery({
    queryKey: ["meetings"],
    queryFn: async () => unwrap(await api.GET("/v1/meetings")).items,
  });
}

export function useMeeting(meetingId: string | null | undefined) {
  return useQuery({
    queryKey: ["meeting", meetingId ?? ""],
    queryFn: async () => unwrap(await api.GET("/v1/meetings/{meeting_id}", { params: { path: { meeting_id: meetingId ?? "" } } })),
    enabled: Boolean(meetingId),
    staleTime: 0, // others change it (answers, action items done): read afresh whenever the page opens
  });
}

/** Polled while the meeting is still to be held: the answers come in, and on the day the attendance. */
export function useAttendance(meetingId: string, live: boolean) {
  return useQuery({
    refetchInterval: live ? ATTENDANCE_POLL_MS : false,
    refetchIntervalInBackground: false,
    staleTime: 0,
    queryKey: ["meeting-attendance", meetingId],
    queryFn: async () =>
      unwrap(await api.GET("/v1/meetings/{meeting_id}/attendance", { params: { path: { meeting_id: meetingId } } })),
  });
}

/** The minutes (a document of the agency): who signs them, who signed, and their number. */
export function useMinutesDocument(documentId: string | null | undefined) {
  return useQuery({
    staleTime: 0, // signed meanwhile on its route
    queryKey: ["document", documentId ?? ""],
    queryFn: async () =>
      unwrap(await api.GET("/v1/documents/{document_id}", { params: { path: { document_id: documentId ?? "" } } })),
    enabled: Boolean(documentId),
  });
}

/** The agency's active users (Thai dictionary order), to name members, owners and recorders. */
export function useAgencyUsers() {
  return useQuery({
    queryKey: ["users"],
    queryFn: async () => unwrap(await api.GET("/v1/users")).users,
    staleTime: 5 * 60_000,
  });
}

/** After a change to a meeting: its view (given back by the API) and what depends on it. */
export function useMeetingRefresh(meetingId: string) {
  const queries = useQueryClient();
  return async (view?: MeetingView) => {
    if (view) queries.setQueryData(["meeting", meetingId], view);
    await Promise.all([
      queries.invalidateQueries({ queryKey: ["meeting", meetingId] }),
      queries.invalidateQueries({ queryKey: ["meeting-attendance", meetingId] }),
      queries.invalidateQueries({ queryKey: ["meetings"] }),
    ]);
  };
}
