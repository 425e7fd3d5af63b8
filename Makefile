# Xuncha 巡察工作平台 — the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
RUN := $(UV) run --frozen
VENDOR := src/xuncha/static/vendor
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/xuncha
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: help setup keys assets pdf-tools demo serve test test-sqlite test-postgres lint format e2e clean

help:
	@echo "make demo   安装依赖、生成本地密钥、建库、载入演示数据并在 http://$(HOST):$(PORT) 运行"
	@echo "make test   运行全部测试（SQLite；本机 PostgreSQL 可达时再跑一遍）"
	@echo "make lint   ruff、ruff format --check、mypy、迁移检查"
	@echo "make setup  只安装依赖和前端资源"

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

$(VENDOR)/.copied: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/htmx $(VENDOR)/bootstrap $(VENDOR)/echarts
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/bootstrap/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	@touch $@

assets: $(VENDOR)/.copied

setup: .venv/.synced assets

# Local keys for a demo or a development machine; production sets these in its environment.
var/xuncha.env: | .venv/.synced
	@mkdir -p var && chmod 700 var
	@$(RUN) python -c "import secrets, base64; \
	print('SECRET_KEY=' + secrets.token_urlsafe(50)); \
	print('XUNCHA_MASTER_KEY=k1:' + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()); \
	print('XUNCHA_AUDIT_KEY=' + secrets.token_urlsafe(32))" > $@
	@chmod 600 $@
	@echo "已生成本地密钥 var/xuncha.env（SECRET_KEY、XUNCHA_MASTER_KEY、XUNCHA_AUDIT_KEY）。生产环境请在环境变量中设置。"

keys: var/xuncha.env

# PDF downloads need LibreOffice: the demo installs it where apt can (as root) and otherwise says how; the
# demo runs either way (Word downloads need nothing).
PDF_PACKAGES := libreoffice-writer-nogui fonts-noto-cjk
FONTS_CONF := /etc/fonts/conf.d/65-xuncha-fonts.conf
pdf-tools:
	@if command -v soffice >/dev/null; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  echo "正在安装 LibreOffice，用于 PDF 下载 / installing LibreOffice for PDF downloads"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(PDF_PACKAGES)) \
	    || echo "LibreOffice 安装失败：PDF 下载不可用，Word 下载不受影响。/ LibreOffice could not be installed: no PDF downloads (Word downloads work)."; \
	else \
	  echo "未安装 LibreOffice：PDF 下载不可用，Word 下载不受影响。安装方法：sudo apt-get install $(PDF_PACKAGES)"; \
	  echo "LibreOffice is not installed: no PDF downloads (Word downloads work). Install: sudo apt-get install $(PDF_PACKAGES)"; \
	fi
	@if [ "$$(id -u)" = 0 ] && [ -d /etc/fonts/conf.d ] && ! cmp -s deploy/fontconfig/xuncha-fonts.conf $(FONTS_CONF); then \
	  cp deploy/fontconfig/xuncha-fonts.conf $(FONTS_CONF) && fc-cache -f >/dev/null; fi

demo: setup keys pdf-tools
	XUNCHA_DEMO=1 $(RUN) xuncha migrate --no-input
	XUNCHA_DEMO=1 $(RUN) xuncha demo-data --history
	XUNCHA_DEMO=1 $(RUN) xuncha collectstatic --no-input --verbosity 0
	XUNCHA_DEMO=1 $(RUN) xuncha serve --host $(HOST) --port $(PORT)

serve: setup keys
	$(RUN) xuncha collectstatic --no-input --verbosity 0
	$(RUN) xuncha serve --host $(HOST) --port $(PORT)

test: test-sqlite test-postgres

# Compiled modules and pytest's rewritten test modules are cached under var/ (the source tree stays clean) even
# where PYTHONDONTWRITEBYTECODE is set: otherwise every run and every worker compiles all of them again
# (collection: 24 s of CPU per process instead of 9 s).
TEST_ENV := env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$(CURDIR)/var/pycache

test-sqlite: setup
	env -u DATABASE_URL $(TEST_ENV) $(RUN) pytest -n 2 $(PYTEST_ARGS)

# Runs against PostgreSQL when DATABASE_URL points at it or a local server answers; otherwise says so.
test-postgres: setup
	@url="$${DATABASE_URL:-$(PG_TEST_URL)}"; \
	if $(RUN) python -c "import sys, psycopg; from psycopg.conninfo import make_conninfo; psycopg.connect(make_conninfo(sys.argv[1], dbname='postgres', connect_timeout=3)).close()" "$$url" 2>/dev/null; then \
	  echo "PostgreSQL: $$url"; $(TEST_ENV) DATABASE_URL="$$url" $(RUN) pytest -n 2 $(PYTEST_ARGS); \
	else echo "PostgreSQL 不可达，跳过 PostgreSQL 测试（$$url）。"; fi

lint: setup
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy
	DJANGO_SETTINGS_MODULE=xuncha.settings_test $(RUN) xuncha makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=xuncha.settings_test $(RUN) xuncha check

format: setup
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

clean:
	rm -rf var/static $(VENDOR) node_modules
