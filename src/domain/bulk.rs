//! A bulk reset of authenticator apps (API notes §4.5, §11): one
//! `tfaappnewapp` call per person, a few at a time, with pause, cancel,
//! per-person results and "retry failed". Pure: the page sends what
//! [`Run::take_next`] hands out and reports back through [`Run::finish`].
//!
//! The rule that matters most: nobody whose reset succeeded is ever handed
//! out again. Only people waiting (never sent, or failed and retried) are.

use std::collections::VecDeque;

use super::Guid;

/// Calls in flight at once. DocSpace handles each reset on its own (it
/// wipes the binding, signs the person out everywhere and queues an
/// e-mail), so more in flight gains little; three hide most of the round
/// trip, leave the portal free for its users, and at most three people are
/// in doubt if the connection drops.
pub const CONCURRENCY: usize = 3;

/// How many recent call times the estimate averages.
const RECENT: usize = 20;

/// Where one person is in the run.
#[derive(Debug, Clone, PartialEq)]
pub enum Status<E> {
    /// Not sent yet (or a failure queued again by "retry failed").
    Waiting,
    /// Sent; the answer has not arrived.
    Sending,
    /// DocSpace reset the person's app.
    Done,
    /// The call failed; the person was not reset (or it is not known).
    Failed(E),
    /// DocSpace says the person has no app linked: nothing to reset.
    NoApp,
    /// The run was cancelled before the person was sent.
    NotSent,
}

/// One person in the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Item<E> {
    /// The person's id, sent as `id`.
    pub id: Guid,
    /// Display name, for the results.
    pub name: String,
    /// E-mail address, for the results.
    pub email: String,
    /// Where the person is.
    pub status: Status<E>,
    /// How many calls were sent for the person.
    pub attempts: u32,
}

/// How a call for one person ended, as the page tells the run.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer<E> {
    /// 200: reset.
    Done,
    /// DocSpace refused because the person has no app linked.
    NoApp,
    /// The caller's session ended (401): nothing was done for the person;
    /// the run pauses until the caller is signed in again.
    SignedOut,
    /// Any other failure.
    Failed(E),
}

/// Why the run is not sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Halt {
    /// Sending (or finished).
    No,
    /// Paused by the user.
    Paused,
    /// DocSpace ended the caller's session (401).
    SignedOut,
    /// Cancelled by the user: the people still waiting were not sent.
    Cancelled,
}

/// The run's figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// People in the run.
    pub total: usize,
    /// Reset.
    pub done: usize,
    /// Failed.
    pub failed: usize,
    /// Had no app linked.
    pub no_app: usize,
    /// Not sent because the run was cancelled.
    pub not_sent: usize,
    /// Waiting to be sent.
    pub waiting: usize,
    /// In flight.
    pub sending: usize,
}

impl Tally {
    /// People with a final answer.
    pub fn answered(&self) -> usize {
        self.done + self.failed + self.no_app
    }
}

/// A bulk reset.
#[derive(Debug, Clone, PartialEq)]
pub struct Run<E> {
    items: Vec<Item<E>>,
    halt: Halt,
    /// The latest call times in milliseconds.
    recent: VecDeque<f64>,
}

impl<E: Clone> Run<E> {
    /// A run over `people`: `(id, name, e-mail)`, each once, in this order.
    pub fn new(people: impl IntoIterator<Item = (Guid, String, String)>) -> Self {
        let mut seen = std::collections::HashSet::new();
        let items = people
            .into_iter()
            .filter(|(id, _, _)| seen.insert(id.clone()))
            .map(|(id, name, email)| Item {
                id,
                name,
                email,
                status: Status::Waiting,
                attempts: 0,
            })
            .collect();
        Run {
            items,
            halt: Halt::No,
            recent: VecDeque::new(),
        }
    }

    /// Everyone in the run.
    pub fn items(&self) -> &[Item<E>] {
        &self.items
    }

    /// Why the run is not sending.
    pub fn halt(&self) -> Halt {
        self.halt
    }

    /// The next person to send, marked as sending; `None` while halted,
    /// with [`CONCURRENCY`] calls in flight, or when nobody is waiting.
    pub fn take_next(&mut self) -> Option<usize> {
        if self.halt != Halt::No || self.in_flight() >= CONCURRENCY {
            return None;
        }
        let i = self
            .items
            .iter()
            .position(|it| matches!(it.status, Status::Waiting))?;
        let it = &mut self.items[i];
        it.status = Status::Sending;
        it.attempts += 1;
        Some(i)
    }

    /// Records how the call for person `i` ended, and how long it took.
    /// Only a person being sent can be finished; anything else is ignored.
    pub fn finish(&mut self, i: usize, answer: Answer<E>, millis: f64) {
        let Some(it) = self.items.get_mut(i) else {
            return;
        };
        if !matches!(it.status, Status::Sending) {
            return;
        }
        it.status = match answer {
            Answer::Done => Status::Done,
            Answer::NoApp => Status::NoApp,
            Answer::Failed(e) => Status::Failed(e),
            Answer::SignedOut => {
                // Refused before anything was done: send again after sign-in.
                if self.halt != Halt::Cancelled {
                    self.halt = Halt::SignedOut;
                }
                if self.halt == Halt::Cancelled {
                    Status::NotSent
                } else {
                    Status::Waiting
                }
            }
        };
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(millis.max(0.0));
    }

    /// Stops handing out people; calls in flight still finish.
    pub fn pause(&mut self) {
        if self.halt == Halt::No {
            self.halt = Halt::Paused;
        }
    }

    /// Sends again after a pause or a sign-in.
    pub fn resume(&mut self) {
        if matches!(self.halt, Halt::Paused | Halt::SignedOut) {
            self.halt = Halt::No;
        }
    }

    /// Stops for good: everyone still waiting is marked as not sent. Calls
    /// in flight finish with their real answer.
    pub fn cancel(&mut self) {
        self.halt = Halt::Cancelled;
        for it in &mut self.items {
            if matches!(it.status, Status::Waiting) {
                it.status = Status::NotSent;
            }
        }
    }

    /// Queues the failed people again (only them) and starts sending.
    /// Returns how many were queued.
    pub fn retry_failed(&mut self) -> usize {
        self.requeue(|s| matches!(s, Status::Failed(_)))
    }

    /// Queues the people a cancel left unsent and starts sending.
    pub fn send_rest(&mut self) -> usize {
        self.requeue(|s| matches!(*s, Status::NotSent))
    }

    fn requeue(&mut self, which: impl Fn(&Status<E>) -> bool) -> usize {
        let mut n = 0;
        for it in &mut self.items {
            if which(&it.status) {
                it.status = Status::Waiting;
                n += 1;
            }
        }
        if n > 0 {
            self.halt = Halt::No;
        }
        n
    }

    /// Calls in flight.
    pub fn in_flight(&self) -> usize {
        self.items
            .iter()
            .filter(|it| matches!(it.status, Status::Sending))
            .count()
    }

    /// The run's figures.
    pub fn tally(&self) -> Tally {
        let mut t = Tally {
            total: self.items.len(),
            ..Tally::default()
        };
        for it in &self.items {
            match it.status {
                Status::Waiting => t.waiting += 1,
                Status::Sending => t.sending += 1,
                Status::Done => t.done += 1,
                Status::Failed(_) => t.failed += 1,
                Status::NoApp => t.no_app += 1,
                Status::NotSent => t.not_sent += 1,
            }
        }
        t
    }

    /// Sending now or still to send while not halted: leaving the page
    /// would lose work.
    pub fn active(&self) -> bool {
        let t = self.tally();
        t.sending > 0 || (t.waiting > 0 && self.halt == Halt::No)
    }

    /// Milliseconds left at the recent pace: the people still to send over
    /// the calls in flight at once. `None` before any call has finished or
    /// when nothing is left.
    pub fn millis_left(&self) -> Option<f64> {
        let t = self.tally();
        let left = t.waiting + t.sending;
        if left == 0 || self.recent.is_empty() {
            return None;
        }
        let mean = self.recent.iter().sum::<f64>() / self.recent.len() as f64;
        let lanes = CONCURRENCY.min(left) as f64;
        Some(mean * left as f64 / lanes)
    }
}

/// Parses what was typed to confirm a count: digits, with any spaces,
/// commas, points or apostrophes people put between thousands ignored.
pub fn typed_count(text: &str) -> Option<usize> {
    let digits: String = text
        .chars()
        .filter(|c| {
            !matches!(
                c,
                ' ' | '\u{a0}' | '\u{202f}' | ',' | '.' | '\'' | '’' | '٬'
            )
        })
        .map(|c| match c {
            // Arabic-Indic and Eastern Arabic-Indic digits.
            '\u{660}'..='\u{669}' => char::from(b'0' + (c as u32 - 0x660) as u8),
            '\u{6f0}'..='\u{6f9}' => char::from(b'0' + (c as u32 - 0x6f0) as u8),
            // Full-width digits (Japanese and Chinese input methods).
            '\u{ff10}'..='\u{ff19}' => char::from(b'0' + (c as u32 - 0xff10) as u8),
            c => c,
        })
        .collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guid(n: usize) -> Guid {
        Guid::parse(&format!("00000000-0000-4000-8000-{n:012}")).unwrap()
    }

    fn run(n: usize) -> Run<&'static str> {
        Run::new((0..n).map(|i| (guid(i), format!("P{i}"), format!("p{i}@x"))))
    }

    /// Drives a run to the end: `answer(i, attempt)` decides each call.
    fn drive(
        r: &mut Run<&'static str>,
        sent: &mut Vec<usize>,
        answer: impl Fn(usize, u32) -> Answer<&'static str>,
    ) {
        loop {
            let mut batch = Vec::new();
            while let Some(i) = r.take_next() {
                batch.push(i);
            }
            if batch.is_empty() {
                break;
            }
            assert!(batch.len() <= CONCURRENCY);
            for i in batch {
                sent.push(i);
                let a = answer(i, r.items()[i].attempts);
                r.finish(i, a, 100.0);
            }
        }
    }

    #[test]
    fn three_failures_of_two_hundred_then_retry_sends_each_success_once() {
        let mut r = run(200);
        let mut sent = Vec::new();
        let bad = [36, 99, 150];
        drive(&mut r, &mut sent, |i, attempt| {
            if bad.contains(&i) && attempt == 1 {
                Answer::Failed("500")
            } else {
                Answer::Done
            }
        });
        let t = r.tally();
        assert_eq!((t.done, t.failed, t.waiting, t.sending), (197, 3, 0, 0));
        assert!(!r.active());
        assert_eq!(r.retry_failed(), 3);
        drive(&mut r, &mut sent, |_, _| Answer::Done);
        assert_eq!(r.tally().done, 200);
        // Everyone was sent once, and the three failures exactly twice.
        for i in 0..200 {
            let n = sent.iter().filter(|&&s| s == i).count();
            assert_eq!(n, if bad.contains(&i) { 2 } else { 1 }, "person {i}");
        }
        // Retrying with nothing failed sends nobody.
        assert_eq!(r.retry_failed(), 0);
        assert_eq!(r.take_next(), None);
    }

    #[test]
    fn no_more_than_the_concurrency_is_in_flight() {
        let mut r = run(10);
        let first: Vec<_> = std::iter::from_fn(|| r.take_next()).collect();
        assert_eq!(first, vec![0, 1, 2]);
        assert_eq!(r.take_next(), None);
        r.finish(1, Answer::Done, 50.0);
        assert_eq!(r.take_next(), Some(3));
        // A finish for someone not in flight changes nothing.
        r.finish(1, Answer::Failed("late"), 50.0);
        r.finish(9, Answer::Done, 50.0);
        assert_eq!(r.items()[1].status, Status::Done);
        assert_eq!(r.items()[9].status, Status::Waiting);
    }

    #[test]
    fn pause_holds_new_calls_and_lets_the_ones_in_flight_finish() {
        let mut r = run(5);
        let a = r.take_next().unwrap();
        r.pause();
        assert_eq!(r.take_next(), None);
        assert!(r.active(), "a call is still in flight");
        r.finish(a, Answer::Done, 10.0);
        assert!(!r.active());
        r.resume();
        assert_eq!(r.take_next(), Some(1));
    }

    #[test]
    fn cancel_stops_at_once_and_says_who_was_not_sent() {
        let mut r = run(10);
        let flying: Vec<_> = std::iter::from_fn(|| r.take_next()).collect();
        r.finish(flying[0], Answer::Done, 10.0);
        r.cancel();
        assert_eq!(r.take_next(), None);
        // The two in flight end with their real answer.
        r.finish(flying[1], Answer::Done, 10.0);
        r.finish(flying[2], Answer::Failed("timeout"), 10.0);
        let t = r.tally();
        assert_eq!((t.done, t.failed, t.not_sent, t.waiting), (2, 1, 7, 0));
        assert_eq!(r.halt(), Halt::Cancelled);
        // Resume does not undo a cancel; sending the rest does.
        r.resume();
        assert_eq!(r.take_next(), None);
        assert_eq!(r.send_rest(), 7);
        assert_eq!(r.take_next(), Some(3));
    }

    #[test]
    fn a_signed_out_answer_pauses_and_sends_that_person_again_after_sign_in() {
        let mut r = run(6);
        let flying: Vec<_> = std::iter::from_fn(|| r.take_next()).collect();
        r.finish(flying[0], Answer::Done, 10.0);
        r.finish(flying[1], Answer::SignedOut, 10.0);
        assert_eq!(r.halt(), Halt::SignedOut);
        assert_eq!(r.take_next(), None);
        r.finish(flying[2], Answer::SignedOut, 10.0);
        assert_eq!(r.items()[1].status, Status::Waiting);
        r.resume();
        let again: Vec<_> = std::iter::from_fn(|| r.take_next()).collect();
        assert_eq!(again, vec![1, 2, 3]);
        assert_eq!(r.items()[1].attempts, 2);
        assert_eq!(r.items()[0].attempts, 1);
    }

    #[test]
    fn people_without_an_app_are_not_failures() {
        let mut r = run(2);
        let mut sent = Vec::new();
        drive(&mut r, &mut sent, |i, _| {
            if i == 0 {
                Answer::NoApp
            } else {
                Answer::Done
            }
        });
        let t = r.tally();
        assert_eq!((t.no_app, t.done, t.failed, t.answered()), (1, 1, 0, 2));
        assert_eq!(r.retry_failed(), 0);
    }

    #[test]
    fn each_person_is_in_the_run_once() {
        let r: Run<&str> = Run::new([
            (guid(1), "A".into(), String::new()),
            (guid(1), "A again".into(), String::new()),
            (guid(2), "B".into(), String::new()),
        ]);
        assert_eq!(r.tally().total, 2);
    }

    #[test]
    fn the_estimate_follows_the_recent_pace_over_the_lanes() {
        let mut r = run(10);
        assert_eq!(r.millis_left(), None);
        let flying: Vec<_> = std::iter::from_fn(|| r.take_next()).collect();
        for i in flying {
            r.finish(i, Answer::Done, 300.0);
        }
        // 7 left, 300 ms each, 3 at a time.
        assert_eq!(r.millis_left(), Some(700.0));
        let mut sent = Vec::new();
        drive(&mut r, &mut sent, |_, _| Answer::Done);
        assert_eq!(r.millis_left(), None);
    }

    #[test]
    fn the_typed_count_ignores_separators_and_reads_other_digits() {
        assert_eq!(typed_count("200"), Some(200));
        assert_eq!(typed_count(" 1,000 "), Some(1000));
        assert_eq!(typed_count("1.000"), Some(1000));
        assert_eq!(typed_count("1\u{202f}000"), Some(1000));
        assert_eq!(typed_count("٢٠٠"), Some(200));
        assert_eq!(typed_count("２００"), Some(200));
        assert_eq!(typed_count("20o"), None);
        assert_eq!(typed_count(""), None);
        assert_eq!(typed_count("-5"), None);
    }
}
