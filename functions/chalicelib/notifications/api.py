"""Routes: the caller's notifications, and how they want them by e-mail."""

from __future__ import annotations

from chalicelib.kernel.http import AnyCall, Api, Reply
from chalicelib.notifications import models, service

api = Api(__name__, tag="notifications")


@api.operation(
    "GET",
    "/notifications",
    id="notifications",
    summary="Your notifications, newest first, with the unread count",
    summary_th="การแจ้งเตือนของท่าน",
    answer=models.Notifications,
)
def get_notifications(call: AnyCall) -> models.Notifications:
    return service.listing(call.principal)


@api.operation(
    "POST",
    "/notifications/{notification_id}/read",
    id="readNotification",
    summary="Mark a notification read",
    summary_th="ทำเครื่องหมายว่าอ่านแล้ว",
    params=models.NotificationPath,
    answer=models.Notifications,
    problems=(404,),
    request_media=("application/json", "*/*"),
)
def read_notification(call: AnyCall) -> Reply:
    return Reply(service.read(call.principal, call.params.notification_id))


@api.operation(
    "GET",
    "/me/notification-settings",
    id="notificationSettings",
    summary="How your notifications reach you by e-mail, and the address they go to",
    summary_th="การตั้งค่าการแจ้งเตือนทางอีเมล",
    answer=models.NotificationSettingsView,
)
def notification_settings(call: AnyCall) -> models.NotificationSettingsView:
    return service.settings(call.principal)


@api.operation(
    "PUT",
    "/me/notification-settings",
    id="changeNotificationSettings",
    summary="Choose: an e-mail per notification, a daily digest, or none",
    summary_th="เลือกรับอีเมลทุกรายการ สรุปวันละครั้ง หรือไม่รับ",
    body=models.NotificationSettings,
    answer=models.NotificationSettingsView,
)
def change_notification_settings(call: AnyCall) -> models.NotificationSettingsView:
    return service.change_settings(call.principal, call.body, now=call.now)
