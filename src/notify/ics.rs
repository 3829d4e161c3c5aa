//! The iCalendar (RFC 5545) invitation of an approved landing, served at
//! `/landings/{id}/calendar.ics` and attached to the approval email.

use chrono::{DateTime, NaiveDate, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

/// What the calendar entry says.
#[derive(Debug, Clone)]
pub struct LandingEvent<'a> {
    pub landing_id: &'a str,
    pub offer_title: &'a str,
    pub host_name: &'a str,
    pub sme_name: &'a str,
    /// The host cluster's IANA time zone: the days are its days.
    pub timezone: &'a str,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub headcount: i32,
    /// The offer's address, else its city, with the host's country.
    pub location: String,
    pub link: String,
    pub stamp: DateTime<Utc>,
}

/// One all-day event over `[start_date, end_date]` (DTEND is exclusive, so the day after).
/// All-day dates carry no TZID (RFC 5545 §3.3.4); `X-WR-TIMEZONE` names the host's zone, and the
/// description repeats it for clients that ignore that property.
pub fn landing_calendar(e: &LandingEvent<'_>) -> String {
    let end_exclusive = e.end_date.succ_opt().unwrap_or(e.end_date);
    let description = format!(
        "Soft landing of {} ({} visitor{}) hosted by {}.\nDays are in the host's time zone, {}.\n{}",
        e.sme_name,
        e.headcount,
        if e.headcount == 1 { "" } else { "s" },
        e.host_name,
        e.timezone,
        e.link,
    );
    let event = Event::new()
        .uid(&format!("landing-{}@softlanding", e.landing_id))
        .timestamp(e.stamp)
        .summary(&format!(
            "Soft landing: {} ({})",
            e.offer_title, e.host_name
        ))
        .description(&description)
        .location(&e.location)
        .url(&e.link)
        .starts(e.start_date)
        .ends(end_exclusive)
        .status(EventStatus::Confirmed)
        .done();
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//softlanding//landings//EN"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        .append_property(Property::new("X-WR-TIMEZONE", e.timezone))
        .push(event);
    calendar.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_all_day_event_spans_the_landing_inclusively() {
        let ics = landing_calendar(&LandingEvent {
            landing_id: "0193",
            offer_title: "Hot desk",
            host_name: "CyberForum",
            sme_name: "Acme",
            timezone: "Europe/Berlin",
            start_date: "2027-03-08".parse().unwrap(),
            end_date: "2027-03-12".parse().unwrap(),
            headcount: 2,
            location: "Haid-und-Neu-Str. 18, Karlsruhe, DE".into(),
            link: "https://softlanding.example/landings/0193".into(),
            stamp: "2027-03-01T10:00:00Z".parse().unwrap(),
        });
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
        assert!(ics.contains("DTSTART;VALUE=DATE:20270308\r\n"), "{ics}");
        assert!(ics.contains("DTEND;VALUE=DATE:20270313\r\n"), "{ics}");
        assert!(ics.contains("X-WR-TIMEZONE:Europe/Berlin\r\n"), "{ics}");
        assert!(
            ics.contains("LOCATION:Haid-und-Neu-Str. 18\\, Karlsruhe\\, DE"),
            "{ics}"
        );
        assert!(ics.contains("UID:landing-0193@softlanding"), "{ics}");
        assert!(ics.contains("BEGIN:VEVENT") && ics.trim_end().ends_with("END:VCALENDAR"));
    }
}
