package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.sagstudy.images.ImageUsage;

/** Photos in a study's items stay: open and closed studies keep theirs, drafts until the photo is removed. */
@ApplicationScoped
public class StudyImageUsage implements ImageUsage {

    @Override
    public Optional<String> reasonToKeep(long imageId) {
        List<?> studies = StudyEntity.getEntityManager().createNativeQuery(
                "SELECT DISTINCT s.name FROM study_item i JOIN study s ON s.id = i.study_id WHERE i.image_id = ?1")
                .setParameter(1, imageId).getResultList();
        return studies.isEmpty() ? Optional.empty() : Optional.of("it is used by the study " + studies.get(0)
                + "; remove it from the study's photos first (open and closed studies keep theirs)");
    }
}
