"""Factories for listening projects (kept beside their tests; the core's are in
tests/factories.py)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from evaluation import services
from evaluation.models import FeedbackResponse, ListeningAction
from tests.factories import PartnershipFactory


class ListeningExerciseFactory(factory.Factory):
    """Created through the service, so it gets the default codebook."""

    class Meta:
        model = dict

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Listening exercise {n}")
    period_start = datetime.date(2022, 12, 1)
    period_end = datetime.date(2023, 3, 31)
    public_slug = factory.Sequence(lambda n: f"listening-{n}")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.exercise_create(actor=None, **kwargs)

    _build = _create


class FeedbackResponseFactory(DjangoModelFactory):
    class Meta:
        model = FeedbackResponse
        skip_postgeneration_save = True

    exercise = factory.SubFactory(ListeningExerciseFactory)
    responded_on = datetime.date(2023, 1, 15)
    age_band = "14_15"
    question = "What would make you feel safer?"
    words = factory.Sequence(lambda n: f"More lights in the park, number {n}.")

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class ListeningActionFactory(DjangoModelFactory):
    class Meta:
        model = ListeningAction

    what = "Opened a youth club on Friday nights."
    who = "Community grants"
