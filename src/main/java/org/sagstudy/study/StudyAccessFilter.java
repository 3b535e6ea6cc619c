package org.sagstudy.study;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.sagstudy.http.ApiError;

/**
 * Every request of a signed-in account to one study's pages or API ({@code /admin/studies/N...},
 * {@code /api/studies/N...}) passes {@link StudyAccess}: a study the account may not see answers as a missing one
 * (404); opening, closing or deleting it needs its owner or an instance admin, and an export with raw platform ids
 * its owner (403). Participants (anonymous) are not
 * concerned: their routes check their own tokens.
 */
public class StudyAccessFilter {

    private static final Pattern STUDY_PATH = Pattern.compile("^/(?:api|admin)/studies/(\\d{1,18})(/.*)?$");

    private final SecurityIdentity identity;
    private final StudyAccess access;

    public StudyAccessFilter(SecurityIdentity identity, StudyAccess access) {
        this.identity = identity;
        this.access = access;
    }

    @ServerRequestFilter
    public Response check(ContainerRequestContext request) {
        Matcher study = STUDY_PATH.matcher(request.getUriInfo().getPath());
        if (!study.matches() || identity.isAnonymous()) {
            return null;
        }
        long id = Long.parseLong(study.group(1));
        if (!access.canSee(identity, id)) {
            return ApiError.of(404, "no study " + id);
        }
        String rest = study.group(2) == null ? "" : study.group(2);
        boolean deletes = "DELETE".equals(request.getMethod()) && rest.isEmpty();
        boolean opensOrCloses = "POST".equals(request.getMethod()) && (rest.equals("/open") || rest.equals("/close"));
        if ((deletes || opensOrCloses) && !access.mayManage(identity, id)) {
            return ApiError.of(403, "only the study's owner or an instance admin may open, close or delete it");
        }
        if (rest.startsWith("/results/export/")
                && "true".equals(request.getUriInfo().getQueryParameters().getFirst("raw"))
                && !access.mayExportRawIds(identity, id)) {
            return ApiError.of(403, "only the study's owner may export raw platform ids");
        }
        return null;
    }
}
