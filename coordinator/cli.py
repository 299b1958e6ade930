"""The flask commands, each living with its area: `flask --app coordinator <command> --help`."""

from __future__ import annotations

from flask import Flask

from coordinator.admin import commands as admin_commands
from coordinator.demo import commands as demo_commands
from coordinator.mail import commands as mail_commands
from coordinator.register import commands as register_commands_
from coordinator.results import commands as results_commands
from coordinator.surveys import commands as survey_commands


def register_commands(app: Flask) -> None:
    for area in (
        admin_commands,
        survey_commands,  # before the register's: reminders first in every tick, as always
        register_commands_,
        results_commands,
        mail_commands,
        demo_commands,
    ):
        area.register(app)
