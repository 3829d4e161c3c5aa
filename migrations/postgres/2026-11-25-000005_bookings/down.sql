DROP TABLE offer_day_bookings;
