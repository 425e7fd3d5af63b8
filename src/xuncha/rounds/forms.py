"""Forms of the rounds pages. They collect input and offer only choices the user may act on; the actions
validate and save."""

import datetime
from typing import Any

from django import forms
from django.db.models import Max, QuerySet
from django.utils import timezone

from xuncha.core.forms import BAD_DATETIME, StyledForm
from xuncha.core.models import User
from xuncha.orgs.forms import office_committees
from xuncha.orgs.models import Committee, Inspector, Unit

from .choices import STAGE_ORDER, RoundKind, Stage, TeamRole
from .conflicts import active_elsewhere
from .kinds import eligible_inspectors, eligible_units
from .mobilisation import DEFAULT_AGENDA, default_attendees
from .models import Inspection, InspectionQuerySet, MobilisationMeeting, Round, Team, Term
from .plan_choices import CommitmentKind


class TermForm(StyledForm):
    committee = forms.ModelChoiceField(Committee.objects.none(), label="党委")
    name = forms.CharField(label="届次", max_length=100)
    starts_on = forms.DateField(label="开始日期")
    ends_on = forms.DateField(label="结束日期")
    units = forms.ModelMultipleChoiceField(
        Unit.objects.none(), label="应覆盖单位", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        committees = office_committees(user)
        self.fields["committee"].queryset = committees  # type: ignore[attr-defined]
        self.fields["units"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            committee__in=committees, is_active=True
        )


class RoundForm(StyledForm):
    committee = forms.ModelChoiceField(Committee.objects.none(), label="党委")
    number = forms.IntegerField(label="轮次序号", min_value=1, max_value=32767)
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=RoundKind.choices)
    topic = forms.CharField(label="专项主题", max_length=200, required=False, help_text="专项巡察必填")
    planned_start = forms.DateField(label="计划开始")
    planned_end = forms.DateField(label="计划结束")
    term = forms.ModelChoiceField(Term.objects.none(), label="届期", required=False)
    lookback_of = forms.ModelMultipleChoiceField(
        Inspection.objects.none(),
        label="回头看对象",
        required=False,
        help_text="巡察“回头看”必选：已进入整改阶段的巡察",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        committees = office_committees(user)
        self.fields["committee"].queryset = committees  # type: ignore[attr-defined]
        self.fields["term"].queryset = Term.objects.filter(committee__in=committees)  # type: ignore[attr-defined]
        self._propose_number(committees)
        rectifying_or_later = STAGE_ORDER[STAGE_ORDER.index(Stage.RECTIFYING) :]
        self.fields["lookback_of"].queryset = (  # type: ignore[attr-defined]
            Inspection.objects.filter(round__committee__in=committees, stage__in=rectifying_or_later)
            .select_related("team", "unit")
            .order_by("-round__planned_start", "id")
        )

    def _propose_number(self, committees: QuerySet[Committee]) -> None:
        """The next number of each committee (numbers are unique per committee): the initial value for the
        first, and the help text names each when the user arranges rounds for several."""
        last = dict(
            Round.objects.filter(committee__in=committees)
            .values("committee")
            .annotate(last=Max("number"))
            .values_list("committee", "last")
        )
        proposed = [(c, last.get(c.pk, 0) + 1) for c in committees]
        if not proposed:
            return
        committee, number = proposed[0]
        self.initial.setdefault("committee", committee.pk)
        self.initial.setdefault("number", number)
        self.fields["number"].help_text = (
            "已按本党委已有的轮次填入下一序号。"
            if len(proposed) == 1
            else "各党委的下一序号：" + "；".join(f"{c.short_name or c.name}第{n}轮" for c, n in proposed)
        )


class TeamForm(StyledForm):
    name = forms.CharField(label="名称", max_length=50, help_text="例如：第一巡察组")


class InspectionForm(StyledForm):
    team = forms.ModelChoiceField(Team.objects.none(), label="巡察组")
    unit = forms.ModelChoiceField(Unit.objects.none(), label="被巡察单位")

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = round.teams.all()  # type: ignore[attr-defined]
        self.fields["unit"].queryset = eligible_units(round).exclude(  # type: ignore[attr-defined]
            inspections__round=round
        )


class TeamMemberForm(StyledForm):
    inspector = forms.ModelChoiceField(Inspector.objects.none(), label="巡察干部")
    role = forms.ChoiceField(label="组内职务", choices=TeamRole.choices, initial=TeamRole.MEMBER)
    override_reason = forms.CharField(
        label="不予回避的理由", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # The inspector whose 回避 reasons were shown: an override is only taken for that inspector.
    override_for = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def visible_fields(self) -> list[Any]:
        return [field for field in super().visible_fields() if field.name != "override_reason"]

    def __init__(self, *args: Any, team: Team, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The office forming the team may draw on every pool the round's kind reaches.
        eligible = eligible_inspectors(team.round).exclude(memberships__team=team)
        self.fields["inspector"].queryset = eligible  # type: ignore[attr-defined]
        busy = eligible.filter(memberships__team__inspections__in=active_elsewhere(team))
        names = sorted(set(busy.values_list("name", flat=True)))
        if names:
            self.fields[
                "inspector"
            ].help_text = f"{'、'.join(names)}已在其他巡察组的进驻或了解阶段，仍可选派，加入时会再提示。"

    def override_reason_for(self, inspector: Inspector) -> str:
        if self.cleaned_data.get("override_for") != inspector.pk:
            return ""
        return str(self.cleaned_data.get("override_reason") or "")


class TransitionForm(StyledForm):
    to = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(
        label="我已核对，确认推进阶段", error_messages={"required": "请勾选确认后再推进阶段。"}
    )


class FieldworkEndForm(StyledForm):
    ends_on = forms.DateField(label="了解阶段结束日期")
    reason = forms.CharField(label="调整理由", widget=forms.Textarea(attrs={"rows": 3}))


class InspectionFilterForm(StyledForm):
    round = forms.ModelChoiceField(Round.objects.none(), label="轮次", required=False, empty_label="全部轮次")
    team = forms.ModelChoiceField(
        Team.objects.none(), label="巡察组", required=False, empty_label="全部巡察组"
    )
    stage = forms.ChoiceField(label="阶段", required=False, choices=[("", "全部"), *Stage.choices])
    overdue = forms.BooleanField(label="仅看逾期", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = Round.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["team"].queryset = Team.objects.visible_to(user).select_related("round")  # type: ignore[attr-defined]

    def filter(self, queryset: InspectionQuerySet) -> InspectionQuerySet:
        """Apply the valid filters; an invalid value is shown on the form and otherwise ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("round"):
            queryset = queryset.filter(round=data["round"])
        if data.get("team"):
            queryset = queryset.filter(team=data["team"])
        if data.get("stage"):
            queryset = queryset.filter(stage=data["stage"])
        if data.get("overdue"):
            queryset = queryset.overdue()
        return queryset


class MobilisationMeetingForm(StyledForm):
    held_at = forms.DateTimeField(
        label="会议时间",
        required=False,
        error_messages={"invalid": BAD_DATETIME},
    )
    place = forms.CharField(label="会议地点", required=False)
    chair = forms.CharField(label="主持人", required=False, help_text="如：市财政局党组书记 张建国")
    attendees = forms.CharField(label="参会人员", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    agenda = forms.CharField(
        label="会议议程", required=False, widget=forms.Textarea(attrs={"rows": 5}), help_text="每行一项"
    )
    notes = forms.CharField(
        label="会议情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="会后填写：实到人数、讲话要点、民主测评安排等",
    )

    FIELDS = ("held_at", "place", "chair", "attendees", "agenda", "notes")

    @classmethod
    def initial_for(cls, inspection: Inspection, meeting: MobilisationMeeting | None) -> dict[str, Any]:
        """The saved values, or for a first entry the stationing day at 9:00 and the usual agenda."""
        if meeting is not None:
            return {name: getattr(meeting, name) for name in cls.FIELDS}
        day = inspection.stationed_on or timezone.localdate()
        return {
            "held_at": datetime.datetime.combine(
                day, datetime.time(9), tzinfo=timezone.get_current_timezone()
            ),
            "attendees": default_attendees(inspection),
            "agenda": "\n".join(DEFAULT_AGENDA),
        }


# The work plan, the round's 动员部署会 and readiness ---------------------------------------------------


class WorkPlanForm(StyledForm):
    """The office's draft of the plan; one task field per member of the round's teams."""

    stationing_on = forms.DateField(label="进驻日期", required=False)
    withdrawal_on = forms.DateField(label="撤离日期", required=False)
    focus = forms.MultipleChoiceField(
        label="巡察重点（三个聚焦）", required=False, widget=forms.CheckboxSelectMultiple
    )
    topic = forms.CharField(label="专项主题", required=False)
    division = forms.CharField(label="工作分工", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    requirements = forms.CharField(label="工作要求", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, round: Round, members: list[Any], **kwargs: Any) -> None:
        from .plans import focus_choices

        super().__init__(*args, **kwargs)
        self.fields["focus"].choices = [(item, item) for item in focus_choices()]  # type: ignore[attr-defined]
        self.member_fields: list[str] = []
        for member in members:
            name = f"task_{member.pk}"
            self.fields[name] = forms.CharField(
                label=f"{member.team.name} {member.inspector.name}（{member.get_role_display()}）任务分工",
                required=False,
            )
            self.member_fields.append(name)

    @classmethod
    def initial_for(cls, round: Round, plan: Any) -> dict[str, Any]:
        from .plans import DEFAULT_DIVISION, DEFAULT_REQUIREMENTS

        if plan is None:
            return {
                "stationing_on": round.planned_start,
                "withdrawal_on": round.planned_end,
                "topic": round.topic,
                "division": DEFAULT_DIVISION,
                "requirements": DEFAULT_REQUIREMENTS,
            }
        initial = {name: getattr(plan, name) for name in ("stationing_on", "withdrawal_on", "focus", "topic")}
        initial |= {"division": plan.division, "requirements": plan.requirements}
        initial |= {f"task_{key}": value for key, value in plan.tasks.items()}
        return initial

    def action_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        tasks = {name.removeprefix("task_"): data.pop(name) or "" for name in self.member_fields}
        return data | {"tasks": tasks}


class PlanDecisionForm(StyledForm):
    opinion = forms.CharField(label="审批意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PlanRatifyForm(StyledForm):
    ratified_by_name = forms.CharField(
        label="审定人", required=False, help_text="姓名和职务，如：市委书记 王某某"
    )
    ratified_on = forms.DateField(label="审定日期", required=False)


class RoundMeetingForm(StyledForm):
    held_at = forms.DateTimeField(
        label="会议时间",
        required=False,
        error_messages={"invalid": BAD_DATETIME},
    )
    place = forms.CharField(label="会议地点", required=False)
    chair = forms.CharField(label="主持人", required=False)
    leading_group = forms.CharField(
        label="出席的领导小组成员", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    office = forms.CharField(label="巡察办人员", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    teams = forms.CharField(label="巡察组", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    units = forms.CharField(label="被巡察单位", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label="会议情况", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    FIELDS = ("held_at", "place", "chair", "leading_group", "office", "teams", "units", "notes")


class TrainingSessionForm(StyledForm):
    held_on = forms.DateField(label="培训日期", required=False)
    topic = forms.CharField(label="培训内容", required=False, help_text="如：巡察业务战前集训")
    place = forms.CharField(label="培训地点", required=False)
    attendees = forms.ModelMultipleChoiceField(
        Inspector.objects.none(), label="参训人员", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, inspectors: list[Inspector], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = Inspector.objects.filter(  # type: ignore[attr-defined]
            pk__in=[i.pk for i in inspectors]
        ).order_by("pk")


class AttendanceForm(TrainingSessionForm):
    """Only the attendance of a recorded session."""

    def __init__(self, *args: Any, inspectors: list[Inspector], **kwargs: Any) -> None:
        super().__init__(*args, inspectors=inspectors, **kwargs)
        for name in ("held_on", "topic", "place"):
            del self.fields[name]


class PaperCommitmentForm(StyledForm):
    inspector = forms.ModelChoiceField(Inspector.objects.none(), label="巡察干部", required=False)
    kind = forms.ChoiceField(label="承诺事项", choices=CommitmentKind.choices)

    def __init__(self, *args: Any, inspectors: list[Inspector], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = Inspector.objects.filter(  # type: ignore[attr-defined]
            pk__in=[i.pk for i in inspectors if i.user_id is None]
        ).order_by("pk")
