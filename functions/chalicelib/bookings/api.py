"""Routes: rooms and vehicles, their free and busy times, bookings (single or a series), approval,
cancellation."""

from __future__ import annotations

from chalicelib.bookings import models, service, trips
from chalicelib.kernel.http import AnyCall, Api, Reply

api = Api(__name__, tag="bookings")


@api.operation(
    "POST",
    "/resources",
    id="createResource",
    summary="Add a meeting room or an official vehicle, with who approves and its booking rules",
    summary_th="เพิ่มห้องประชุมหรือรถส่วนกลาง",
    body=models.ResourceCommand,
    answer=models.ResourceView,
    status=201,
    problems=(403,),
)
def create_resource(call: AnyCall) -> models.ResourceView:
    return service.create_resource(call.principal, call.body, now=call.now)


@api.operation(
    "GET",
    "/resources",
    id="listResources",
    summary="The agency's rooms and vehicles",
    summary_th="รายการห้องประชุมและรถส่วนกลาง",
    answer=models.ResourceList,
)
def list_resources(call: AnyCall) -> models.ResourceList:
    return service.list_resources(call.principal)


@api.operation(
    "PATCH",
    "/resources/{resource_id}",
    id="changeResource",
    summary="Change a room or vehicle: details, rules, approvers, officers, or put it in maintenance",
    summary_th="แก้ไขข้อมูลห้องหรือรถ หรืองดใช้ชั่วคราว",
    params=models.ResourcePath,
    body=models.ResourceChange,
    answer=models.ResourceView,
    problems=(403, 404, 409),
)
def change_resource(call: AnyCall) -> models.ResourceView:
    return service.change_resource(call.principal, call.params.resource_id, call.body, now=call.now)


@api.operation(
    "PUT",
    "/resources/{resource_id}/sharing",
    id="shareResource",
    summary="Share a room or vehicle with other agencies on the platform (an empty list stops sharing)",
    summary_th="ให้หน่วยงานอื่นจองห้องหรือรถนี้ได้",
    params=models.ResourcePath,
    body=models.Sharing,
    answer=models.ResourceView,
    problems=(403, 404, 409),
)
def share_resource(call: AnyCall) -> models.ResourceView:
    return service.share(call.principal, call.params.resource_id, call.body, now=call.now)


@api.operation(
    "GET",
    "/resources/{resource_id}/availability",
    id="resourceAvailability",
    summary="Busy and free times of a room or vehicle, per day (Bangkok time), for up to 31 days",
    summary_th="ช่วงเวลาว่างและไม่ว่าง รายวัน",
    params=models.ResourcePath,
    query=models.AvailabilityQuery,
    answer=models.Availability,
    problems=(404,),
)
def availability(call: AnyCall) -> models.Availability:
    return service.availability(call.principal, call.params.resource_id, call.query, now=call.now)


@api.operation(
    "POST",
    "/resources/{resource_id}/bookings",
    id="book",
    summary="Book it for a time range or a series; refused with the clashing bookings named",
    summary_th="จองห้องหรือรถ (ครั้งเดียวหรือจองซ้ำ)",
    params=models.ResourcePath,
    query=models.OwnerQuery,
    body=models.BookCommand,
    answer=models.BookingView,
    status=201,
    problems=(403, 404, 409, 503),
)
def book(call: AnyCall) -> models.BookingView:
    return service.book(
        call.principal, call.params.resource_id, call.body, now=call.now, owner=call.query.owner
    )


@api.operation(
    "GET",
    "/resources/{resource_id}/bookings/{booking_id}",
    id="getBooking",
    summary="A booking and its occurrences",
    summary_th="รายละเอียดการจอง",
    params=models.BookingPath,
    query=models.OwnerQuery,
    answer=models.BookingView,
    problems=(404,),
)
def get_booking(call: AnyCall) -> models.BookingView:
    p = call.params
    return service.get_booking(call.principal, p.resource_id, p.booking_id, call.query.owner)


@api.operation(
    "POST",
    "/resources/{resource_id}/bookings/{booking_id}/decision",
    id="decideBooking",
    summary="The approver approves a pending booking, or declines it with a reason",
    summary_th="อนุมัติหรือไม่อนุมัติการจอง",
    params=models.BookingPath,
    body=models.Decision,
    answer=models.BookingView,
    problems=(403, 404, 409, 503),
)
def decide(call: AnyCall) -> models.BookingView:
    p = call.params
    return service.decide(call.principal, p.resource_id, p.booking_id, call.body, now=call.now)


@api.operation(
    "POST",
    "/resources/{resource_id}/bookings/{booking_id}/cancel",
    id="cancelBooking",
    summary="Cancel a booking, one occurrence or the rest of a series (or record a no-show)",
    summary_th="ยกเลิกการจอง",
    params=models.BookingPath,
    query=models.OwnerQuery,
    body=models.CancelCommand,
    answer=models.BookingView,
    problems=(403, 404, 409, 503),
)
def cancel(call: AnyCall) -> models.BookingView:
    p = call.params
    return service.cancel(
        call.principal, p.resource_id, p.booking_id, call.body, now=call.now, owner=call.query.owner
    )


@api.operation(
    "GET",
    "/me/bookings",
    id="myBookings",
    summary="Your bookings from yesterday on",
    summary_th="การจองของท่าน",
    answer=models.BookingList,
)
def my_bookings(call: AnyCall) -> models.BookingList:
    return service.my_bookings(call.principal, now=call.now)


@api.operation(
    "POST",
    "/me/calendar-feed",
    id="issueMyCalendarFeed",
    summary="A secret iCalendar address of your bookings (a new one revokes the old)",
    summary_th="ขอที่อยู่ปฏิทินการจองของท่าน",
    answer=models.FeedView,
    status=201,
    request_media=("application/json", "*/*"),
)
def issue_my_feed(call: AnyCall) -> models.FeedView:
    return service.new_feed(call.principal, "user", call.principal.user_id, now=call.now)


@api.operation(
    "DELETE",
    "/me/calendar-feed",
    id="revokeMyCalendarFeed",
    summary="Revoke your calendar address",
    summary_th="ยกเลิกที่อยู่ปฏิทินของท่าน",
    status=204,
    problems=(404,),
)
def revoke_my_feed(call: AnyCall) -> Reply:
    service.revoke_feed(call.principal, "user", call.principal.user_id, now=call.now)
    return Reply(status=204)


@api.operation(
    "POST",
    "/resources/{resource_id}/calendar-feed",
    id="issueResourceCalendarFeed",
    summary="A secret iCalendar address of a room's or vehicle's bookings (its officer)",
    summary_th="ขอที่อยู่ปฏิทินของห้องหรือรถ",
    params=models.ResourcePath,
    answer=models.FeedView,
    status=201,
    problems=(403, 404),
    request_media=("application/json", "*/*"),
)
def issue_resource_feed(call: AnyCall) -> models.FeedView:
    return service.new_feed(call.principal, "resource", call.params.resource_id, now=call.now)


@api.operation(
    "DELETE",
    "/resources/{resource_id}/calendar-feed",
    id="revokeResourceCalendarFeed",
    summary="Revoke a room's or vehicle's calendar address",
    summary_th="ยกเลิกที่อยู่ปฏิทินของห้องหรือรถ",
    params=models.ResourcePath,
    status=204,
    problems=(403, 404),
)
def revoke_resource_feed(call: AnyCall) -> Reply:
    service.revoke_feed(call.principal, "resource", call.params.resource_id, now=call.now)
    return Reply(status=204)


@api.operation(
    "GET",
    "/calendar/{token}",
    id="calendarFeed",
    summary="An iCalendar feed (RFC 5545) opened by its secret token; no sign-in, for calendar programs",
    summary_th="ปฏิทิน (iCalendar) สำหรับโปรแกรมปฏิทิน",
    params=models.FeedPath,
    problems=(404,),
    public=True,
    answer_media="text/calendar",
)
def calendar_feed(call: AnyCall) -> Reply:
    body = service.feed(call.params.token, now=call.now)
    return Reply(body=body.decode("utf-8"), headers={"Cache-Control": "private, max-age=300"})


# -- official vehicles: trips ------------------------------------------------------------------------
@api.operation(
    "POST",
    "/trips",
    id="requestTrip",
    summary="Request an official vehicle (แบบ 3): destination, purpose, passengers, departure and return",
    summary_th="ขออนุญาตใช้รถส่วนกลาง (แบบ 3)",
    body=models.TripRequest,
    answer=models.TripView,
    status=201,
)
def request_trip(call: AnyCall) -> models.TripView:
    return trips.request(call.principal, call.body, now=call.now)


@api.operation(
    "GET",
    "/trips",
    id="listTrips",
    summary="Trip requests the caller may see (their own; their unit's for a head; all for the director)",
    summary_th="รายการขอใช้รถ",
    answer=models.TripList,
)
def list_trips(call: AnyCall) -> models.TripList:
    return trips.listing(call.principal)


@api.operation(
    "GET",
    "/trips/{trip_id}",
    id="getTrip",
    summary="A trip request and what became of it",
    summary_th="รายละเอียดคำขอใช้รถ",
    params=models.TripPath,
    answer=models.TripView,
    problems=(404,),
)
def get_trip(call: AnyCall) -> models.TripView:
    return trips.get(call.principal, call.params.trip_id)


@api.operation(
    "POST",
    "/trips/{trip_id}/opinion",
    id="giveTripOpinion",
    summary="The requester's section head gives the supervisor's opinion",
    summary_th="ความเห็นผู้บังคับบัญชา",
    params=models.TripPath,
    body=models.Opinion,
    answer=models.TripView,
    problems=(403, 404, 409),
)
def give_opinion(call: AnyCall) -> models.TripView:
    return trips.opinion(call.principal, call.params.trip_id, call.body, now=call.now)


@api.operation(
    "POST",
    "/trips/{trip_id}/decision",
    id="decideTrip",
    summary="The director approves the trip, or declines it with a reason",
    summary_th="อนุมัติหรือไม่อนุมัติการใช้รถ",
    params=models.TripPath,
    body=models.TripDecision,
    answer=models.TripView,
    problems=(403, 404, 409),
)
def decide_trip(call: AnyCall) -> models.TripView:
    return trips.decide(call.principal, call.params.trip_id, call.body, now=call.now)


@api.operation(
    "POST",
    "/trips/{trip_id}/assignment",
    id="assignTrip",
    summary="The vehicle's officer assigns a vehicle and a driver: both booked, never double-booked",
    summary_th="จัดรถและพนักงานขับรถ",
    params=models.TripPath,
    body=models.Assignment,
    answer=models.TripView,
    problems=(403, 404, 409, 503),
)
def assign_trip(call: AnyCall) -> models.TripView:
    return trips.assign(call.principal, call.params.trip_id, call.body, now=call.now)


@api.operation(
    "POST",
    "/trips/{trip_id}/log",
    id="logTrip",
    summary="The trip as driven (แบบ 4): odometer out and in, fuel, times; the odometer never runs back",
    summary_th="บันทึกการใช้รถ (แบบ 4)",
    params=models.TripPath,
    body=models.TripLogCommand,
    answer=models.TripView,
    problems=(403, 404, 409),
)
def log_trip(call: AnyCall) -> models.TripView:
    return trips.log(call.principal, call.params.trip_id, call.body, now=call.now)


@api.operation(
    "GET",
    "/trips/{trip_id}/form.pdf",
    id="tripFormPdf",
    summary="The trip request as the printed form (แบบ 3)",
    summary_th="พิมพ์ใบขออนุญาตใช้รถส่วนกลาง",
    params=models.TripPath,
    problems=(404,),
    answer_media="application/pdf",
    request_headers=(("Accept", {"type": "string", "enum": ["application/pdf", "*/*"]}, False),),
)
def trip_form(call: AnyCall) -> Reply:
    body = trips.form_pdf(call.principal, call.params.trip_id)
    return Reply(body=body, headers={"Content-Disposition": 'inline; filename="trip-request.pdf"'})


@api.operation(
    "GET",
    "/resources/{resource_id}/trip-report",
    id="vehicleTripReport",
    summary="A vehicle's month: trips, distance and fuel, each logged trip listed",
    summary_th="รายงานการใช้รถประจำเดือน",
    params=models.ResourcePath,
    query=models.ReportQuery,
    answer=models.TripReport,
    problems=(404,),
)
def trip_report(call: AnyCall) -> models.TripReport:
    return trips.report(call.principal, call.params.resource_id, call.query)
