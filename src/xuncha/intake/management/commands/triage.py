"""`xuncha triage train-default | eval [FILE]`: build the shipped default triage model from the corpus's
train split, or evaluate a brand-new committee's triage on the dev split (or a JSONL file with the corpus's
fields) against issue 17's thresholds (exit code 1 when one is missed)."""

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xuncha.intake.triage import default_model, evaluation, rules


class Command(BaseCommand):
    help = "分拣：train-default 用语料训练集重建默认模型；eval 在验证集（或给定 JSONL 文件）上评估分拣建议"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, title="子命令")
        train = sub.add_parser("train-default", help="用语料的训练集训练默认模型，写入软件包中的模型文件")
        train.add_argument(
            "--output",
            type=Path,
            default=default_model.PATH,
            help=f"模型文件（默认 {default_model.PATH.name}）",
        )
        check = sub.add_parser("eval", help="评估受理范围、六项纪律、三个聚焦和耗时；未达到要求时以 1 退出")
        check.add_argument("file", nargs="?", type=Path, help="JSONL 文件，字段同语料（默认：语料的验证集）")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "train-default":
            data = default_model.train(rule_precision=rules.measure_defaults, progress=self.stdout.write)
            options["output"].write_bytes(data)
            self.stdout.write(f"已写入默认模型：{options['output']}（{len(data) // 1024} KB）。")
            return
        path = options["file"]
        try:
            records = evaluation.records_of(path)
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取评估文件：{exc}") from exc
        if not records:
            raise CommandError("评估文件中没有记录。")
        if default_model.loaded() is None:
            raise CommandError("软件包中没有默认模型，请先运行 xuncha triage train-default。")
        sections = evaluation.evaluate(records)
        self.stdout.write(evaluation.report(sections, len(records)))
        if not evaluation.passed(sections):
            raise SystemExit(1)
