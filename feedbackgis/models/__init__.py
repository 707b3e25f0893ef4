"""Tables only. Import every model here so Alembic and the mapper registry see them all."""
from feedbackgis.models.admin_change import AdminChange
from feedbackgis.models.api_key import ApiKey
from feedbackgis.models.api_token import ApiToken
from feedbackgis.models.base import Base
from feedbackgis.models.category import Category, PublishPolicy
from feedbackgis.models.category_question import CategoryQuestion, QuestionOption
from feedbackgis.models.contact_access import ContactAccess
from feedbackgis.models.figures import CalendarDay, FigureDuration, FigureMonth, FigureRefresh
from feedbackgis.models.hot_spot import HotSpot, HotSpotReport
from feedbackgis.models.idempotency import IdempotentRequest
from feedbackgis.models.map_cell import MapCell
from feedbackgis.models.notification import DeliveryStatus, Notification
from feedbackgis.models.open311 import (
    DeliveryState,
    Open311Delivery,
    Open311Submission,
    Open311UpdateReceived,
)
from feedbackgis.models.outbox import OutboxJob, OutboxJobState, OutboxMessage, OutboxTopic
from feedbackgis.models.party import Party, PartyKind
from feedbackgis.models.photo import Photo, PhotoKind
from feedbackgis.models.prepared_file import FileKind, FileState, PreparedFile
from feedbackgis.models.report import (
    EventKind,
    Report,
    ReporterContact,
    ReportEvent,
)
from feedbackgis.models.response_template import ResponseTemplate
from feedbackgis.models.staff_user import StaffUser
from feedbackgis.models.subscription import AreaSubscription, ReportFollower
from feedbackgis.models.zone import ServiceArea, Zone, ZonePart, zone_category

__all__ = [
    "AreaSubscription", "DeliveryStatus", "Notification", "ReportFollower",
    "Base", "Category", "EventKind", "IdempotentRequest", "OutboxJob", "OutboxJobState",
    "OutboxMessage", "OutboxTopic", "Party", "PartyKind", "Photo", "PhotoKind", "PublishPolicy",
    "Report", "ReportEvent", "ReporterContact", "ServiceArea", "Zone", "ZonePart",
    "zone_category", "CategoryQuestion", "QuestionOption", "MapCell", "StaffUser",
    "ContactAccess", "ResponseTemplate", "AdminChange", "ApiToken", "ApiKey",
    "CalendarDay", "FigureDuration", "FigureMonth", "FigureRefresh", "HotSpot", "HotSpotReport",
    "FileKind", "FileState", "PreparedFile",
    "DeliveryState", "Open311Delivery", "Open311Submission", "Open311UpdateReceived",
]
