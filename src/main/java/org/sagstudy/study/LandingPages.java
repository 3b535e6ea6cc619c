package org.sagstudy.study;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sagstudy.http.ClientAddress;
import org.sagstudy.http.FormTokens;
import org.sagstudy.http.ResumeCookies;
import org.sagstudy.problem.NotFound;

/**
 * A study's link: the consent page (carrying the recruiting platform's ids on to the session) and the start of a
 * session when the participant agrees, with the page's form token ({@link FormTokens}).
 */
@Path("/studies/{id}")
@Produces(MediaType.TEXT_HTML)
public class LandingPages {

    /** A hidden form field. */
    public record Field(String name, String value) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance landing(String name, long studyId, String consent, List<Field> fields,
                boolean previewOnly, String formToken);
    }

    private final Assignment assignment;
    private final StartLimits limits;
    private final StudyCatalog catalog;
    private final FormTokens formTokens;

    public LandingPages(Assignment assignment, StartLimits limits, StudyCatalog catalog, FormTokens formTokens) {
        this.formTokens = formTokens;
        this.assignment = assignment;
        this.limits = limits;
        this.catalog = catalog;
    }

    @GET
    public Response landing(@PathParam("id") long studyId, @Context UriInfo uri,
            @Context HttpServerRequest request) {
        // a closed or draft study answers as a missing one: the link tells strangers nothing about the others
        StudyCatalog.StudyInfo study = catalog.study(studyId).filter(StudyCatalog.StudyInfo::isOpen)
                .orElseThrow(() -> new NotFound("this study is not taking participants (check the link)"));
        Map<String, String> query = new HashMap<>();
        uri.getQueryParameters().forEach((key, values) -> query.put(key, values.get(0)));
        ExternalIds ids = ExternalIds.from(query);
        boolean previewOnly = ExternalIds.MTURK_PREVIEW.equals(query.get("assignmentId"));
        List<Field> fields = ids.asParameters().entrySet().stream().map(e -> new Field(e.getKey(), e.getValue()))
                .toList();
        FormTokens.Issued form = formTokens.issue(request);
        Response.ResponseBuilder page = Response.ok(Templates.landing(study.name(), studyId,
                Markdown.html(study.design().consent()), fields, previewOnly, form.token()));
        return (form.cookie() == null ? page : page.cookie(form.cookie())).build();
    }

    @POST
    @Path("/sessions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response start(@PathParam("id") long studyId, MultivaluedMap<String, String> form,
            @Context HttpServerRequest request) {
        formTokens.check(request, form.getFirst(FormTokens.FIELD));
        Map<String, String> fields = new HashMap<>();
        form.forEach((key, values) -> fields.put(key, values.get(0)));
        Assignment.StartRequest start = Assignment.StartRequest.of(ExternalIds.from(fields), SessionKind.PARTICIPANT,
                request.getHeader("User-Agent"), ResumeCookies.read(request, studyId));
        Assignment.Started started = limits.start(ClientAddress.of(request), studyId,
                () -> assignment.start(studyId, start));
        Response.ResponseBuilder response = Response.seeOther(URI.create(TrialLinks.session(started.token())));
        if (started.resumeSecret() != null) {
            response.cookie(ResumeCookies.of(studyId, started.resumeSecret(), request));
        }
        return response.build();
    }
}
