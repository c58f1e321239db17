"""The action plan: what partners do about each of the SNA's recommendations, who owns it,
when it is due and how it is going (RAG), with its progress updates."""

from django.db import models

from duty.models.holders import DutyHolder
from vru.messages import field_messages
from vru.models import Recommendation, User
from vru.models.scoping import scoped_to


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    UNDER_WAY = "under_way", "Under way"
    DONE = "done", "Done"
    STOPPED = "stopped", "Stopped"


class Rag(models.TextChoices):
    GREEN = "green", "Green: on track"
    AMBER = "amber", "Amber: at risk"
    RED = "red", "Red: off track"


OPEN_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.UNDER_WAY)


class Action(models.Model):
    Status = ActionStatus

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="duty_actions"
    )
    title = models.CharField("action", max_length=300, error_messages=field_messages("the action"))
    owner = models.ForeignKey(
        DutyHolder,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name="owning organisation",
        error_messages=field_messages("the owning organisation", choose=True),
    )
    owner_name = models.CharField(
        "named owner", max_length=200, error_messages=field_messages("the named owner")
    )
    due_on = models.DateField(
        "due date", error_messages=field_messages("the due date", kind="date")
    )
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    rag = models.CharField("RAG rating", max_length=6, choices=Rag.choices, default=Rag.GREEN)
    rag_reason = models.TextField("reason for the rating", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # what the owner was last told about, so each overdue date or red rating is told once
    notified_for = models.CharField(max_length=40, blank=True, editable=False)

    objects = scoped_to("recommendation__needs_assessment__partnership").as_manager()

    class Meta:
        ordering = ["recommendation__number", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(rag__in=Rag.values), name="action_rag_valid"),
            models.CheckConstraint(
                condition=models.Q(rag="green") | ~models.Q(rag_reason=""),
                name="action_rag_reason_unless_green",
                violation_error_message="Give the reason for an amber or red rating.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def overdue(self, today) -> bool:
        return self.status in OPEN_STATUSES and self.due_on < today


class ActionUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    written_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField("progress", error_messages=field_messages("the progress made"))
    status = models.CharField(max_length=12, choices=ActionStatus.choices)
    rag = models.CharField("RAG rating", max_length=6, choices=Rag.choices)
    rag_reason = models.TextField("reason for the rating", blank=True)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = scoped_to("action__recommendation__needs_assessment__partnership").as_manager()

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"Update on {self.action} ({self.written_at:%d %B %Y})"
