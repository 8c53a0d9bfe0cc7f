//! End-to-end tests: the real app (`App::build` + `App::run`) on port 0, a real SQLite file per
//! test, and a fake Telegram Bot API on loopback that teloxide's real client talks to.

mod helpers;

mod architecture;
mod assistant;
mod attack;
mod attack3;
mod attack4;
mod attack5;
mod backup;
mod bad_input;
mod binary;
mod booking;
mod calcom;
mod cashbook;
mod catalogue;
mod clients;
mod console;
mod conversation;
mod crash;
mod details;
mod due_phrases;
mod excel;
mod hours;
mod http;
mod http_access;
mod http_limits;
mod identity;
mod instagram;
mod jobs;
mod lean;
mod llm;
mod locales;
mod notify;
mod orders;
mod owner_visits;
mod payments;
mod receipts;
mod resilience;
mod security;
mod summary;
mod tasks;
mod telegram;
mod use_cases;
mod web_booking;
mod web_booking_page;
