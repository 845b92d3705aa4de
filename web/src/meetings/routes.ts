import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { root } from "../app/root";

const Meetings = lazyRouteComponent(() => import("./Meetings"), "Meetings");
const NewMeeting = lazyRouteComponent(() => import("./NewMeeting"), "NewMeeting");
const Committees = lazyRouteComponent(() => import("./Committees"), "Committees");
const MeetingPage = lazyRouteComponent(() => import("./MeetingPage"), "MeetingPage");

export const meetingRoutes = [
  createRoute({ getParentRoute: () => root, path: "/meetings", component: Meetings }),
  createRoute({ getParentRoute: () => root, path: "/meetings/new", component: NewMeeting }),
  createRoute({ getParentRoute: () => root, path: "/meetings/committees", component: Committees }),
  createRoute({ getParentRoute: () => root, path: "/meetings/$meetingId", component: MeetingPage }),
] as const;
