package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.sagstudy.images.ImageUsage;

/** Photos in a study's items stay: open and closed studies keep theirs, drafts until the photo is removed. */
@ApplicationScoped
public class StudyImageUsage implements ImageUsage {

    private final StudyStore studies;

    public StudyImageUsage(StudyStore studies) {
        this.studies = studies;
    }

    @Override
    public Optional<String> reasonToKeep(long imageId) {
        return studies.usingImage(imageId).map(name -> "it is used by the study " + name
                + "; remove it from the study's photos first (open and closed studies keep theirs)");
    }
}
