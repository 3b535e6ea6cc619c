package org.sagstudy.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HealthAndHomeTest {

    @Inject
    DataSource dataSource;

    @Test
    void readinessReportsTheDatabaseAndTheModel() throws Exception {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("model", "Database connections health check"))
                .body("checks.find { it.name == 'model' }.status", equalTo("UP"))
                .body(not(containsString("mobilenet")))
                .body(not(containsString("4918acb8d765ac77bb1bdf7243495bbcacdbf0edeea0ea4be91ae045ab53efde")));
        try (Connection connection = dataSource.getConnection();
                ResultSet version = connection.createStatement().executeQuery("select version()")) {
            version.next();
            org.junit.jupiter.api.Assertions.assertTrue(version.getString(1).startsWith("PostgreSQL"));
        }
    }

    @Test
    void homePageNamesTheModelToAdminsOnly() {
        // a participant who knew the model could compute every answer from the option pictures
        given().when().get("/").then().statusCode(200).body(containsString("model-hidden"))
                .body(not(containsString("mobilenet_v2")))
                .body(not(containsString("4918acb8d765ac77bb1bdf7243495bbcacdbf0edeea0ea4be91ae045ab53efde")));
        given().auth().preemptive().basic("admin", "test-secret").when().get("/").then().statusCode(200)
                .body(containsString("mobilenet_v2"))
                .body(containsString("4918acb8d765ac77bb1bdf7243495bbcacdbf0edeea0ea4be91ae045ab53efde"));
    }
}
