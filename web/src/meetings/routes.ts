import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { root } from "../app/root";
import { withWords } from "../i18n";

const Meetings = lazyRouteComponent(() => withWords("meetings", () => import("./Meetings")), "Meetings");
const NewMeeting = lazyRouteComponent(() => withWords("meetings", () => import("./NewMeeting")), "NewMeeting");
const Committees = lazyRouteComponent(() => withWords("meetings", () => import("./Committees")), "Committees");
const MeetingPage = lazyRouteComponent(() => withWords("meetings", () => import("./MeetingPage")), "MeetingPage");

export const meetingRoutes = [
  createRoute({ getParentRoute: () => root, path: "/meetings", component: Meetings }),
  createRoute({ getParentRoute: () => root, path: "/meetings/new", component: NewMeeting }),
  createRoute({ getParentRoute: () => root, path: "/meetings/committees", component: Committees }),
  createRoute({ getParentRoute: () => root, path: "/meetings/$meetingId", component: MeetingPage }),
] as const;
