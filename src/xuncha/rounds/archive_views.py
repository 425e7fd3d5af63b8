"""The download of an inspection's archive package, for the page and the API alike: the office and the
leading group of its committee only (others who see the inspection get 403), every download audited."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from xuncha.core.audit import record_read
from xuncha.core.permissions import acting_user, require

from .archive_package import ZIP, reader_roles
from .models import ArchivePackage, Inspection


def package_response(request: HttpRequest, inspection: Inspection) -> HttpResponse:
    user = acting_user(request)
    role = require(user, reader_roles(inspection), what="下载归档材料包")
    package = ArchivePackage.objects.filter(inspection=inspection).first()
    if package is None:
        raise Http404("该巡察尚未归档，没有归档材料包。")
    data = package.read()
    details = {"size": package.size, "sha256": package.sha256}
    record_read("archive_package.read", package, by=user, role=role, details=details)
    response = HttpResponse(data, content_type=ZIP)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=package.filename) or ""
    )
    response["Cache-Control"] = "private, no-store"
    return response
