#!/usr/bin/env python3
"""Generate samples/long/sixty_sections.json: a long, strictly valid v2 report.

Each section starts from a hand-written anchor observation tied to a moment in a
(fictional) full-day leadership offsite; one to three further sentences are
composed from fragment pools with a fixed seed, so the output is reproducible.

    python3 samples/tools/gen_long.py            # writes samples/long/sixty_sections.json
    python3 samples/tools/gen_long.py -o FILE    # writes elsewhere ("-" for stdout)
"""
import argparse
import collections
import json
import os
import random

SEED = 20260603
RID = "report_7Hk2Lz9QwVt4NbXe"
MEDIA = "media_3Wp7Rk2YxMv9DcQs"
SUBJECT = "Theo Lindqvist"

PEOPLE = ["Renata", "Sunil", "Marisol", "Femi", "Clara", "Bram", "Hyun-woo"]

AGENDA = [
    ("09:00", "Opening and agenda", "Renata"),
    ("09:25", "Q1 churn review", "Hyun-woo"),
    ("10:10", "Subscriber NPS deep dive", "Clara"),
    ("10:55", "Battery-swap network", "Femi"),
    ("11:40", "Field-technician staffing", "Theo"),
    ("12:15", "Q3 budget vote", "Marisol"),
    ("13:30", "Vendor consolidation", "Sunil"),
    ("14:10", "Amsterdam expansion", "Renata"),
    ("14:55", "Support automation", "Bram"),
    ("15:40", "Retention experiments", "Clara"),
    ("16:20", "Hiring plan", "Theo"),
    ("16:50", "Closing commitments", "Renata"),
]

# paragraph: (kind, key, title, anchor, tags)
# traits:    (kind, key, title, anchor, phrases, tags)
# actions:   (kind, key, title, items)
SECTIONS = [
    ("traits", "dominating_traits", "Dominating traits across the day",
     "Over roughly six hours of recorded sessions, three patterns held from the opening coffee to the closing round of commitments.",
     ["Operational realist", "Loyal to the front line", "Quietly competitive"], "summary"),
    ("paragraph", "how_they_think", "How he framed the Q1 churn numbers",
     "When Hyun-woo put up the 4.1% monthly churn figure, Theo was the first to ask how many of the cancellations followed a failed repair visit, and the answer (just over a third) reshaped the rest of the session.", "data"),
    ("paragraph", "how_they_operate", "Preparing for the churn review",
     "He arrived with a printed one-page breakdown of cancellations by city and by days-since-last-repair, annotated in pen, and referred to it six times during the morning.", "data"),
    ("paragraph", "how_they_connect", "His first exchange with Renata",
     "Theo opened his first contribution by agreeing with Renata's framing of the year as \"a retention year\", then added the one caveat she had left out: retention depends on technicians the company has not yet hired.", "social"),
    ("paragraph", "what_drives_them", "Why the repair-visit link matters to him",
     "He spoke about technicians with visible pride, describing a Rotterdam technician who fixed eleven bikes in a shift during the February storm, and came back to that story twice later in the day.", "drive"),
    ("paragraph", "how_they_think", "Reading the NPS verbatims",
     "During Clara's NPS deep dive he asked to see the detractor comments rather than the score, and read three aloud, all of them about missed repair windows.", "data drive"),
    ("paragraph", "how_they_handle_feedback", "Clara's challenge on repair-window data",
     "Clara pointed out that the repair-window complaints came from only two cities, and Theo accepted the correction immediately, narrowing his claim rather than defending the original one.", "conflict"),
    ("actions", "how_to_get_their_best", "Getting his best in data discussions",
     [("Lead with the operational cut of the data",
       "He engages fastest when numbers are broken down by city, technician or visit. Slice dashboards that way before you show them to him."),
      ("Give him the verbatims, not just the score",
       "He trusts customer words more than indices. Bring five representative comments to any NPS discussion he attends."),
      ("Ask him for the mechanism",
       "He is at his best explaining why a number moved. Ask \"what's driving this?\" and let him talk through the causal chain.")]),
    ("paragraph", "how_they_operate", "The battery-swap network session",
     "Femi's proposal to double the number of battery-swap points in Utrecht was the first item where Theo said nothing for almost ten minutes, taking notes and waiting until the cost per swap was on the screen.", "listen"),
    ("paragraph", "pressure_response", "When the swap-point costs came in high",
     "The cost per swap came in at €3.80 against a planned €2.40, and Theo's response was to ask which component of the cost was labour, because labour is the part his team controls.", "data conflict"),
    ("paragraph", "how_they_connect", "Working alongside Femi",
     "He and Femi finish each other's sentences on fleet logistics, and twice Theo deferred explicitly to Femi's numbers (\"Femi's right, ignore my estimate\") in front of the whole leadership team.", "social"),
    ("traits", "dominating_traits", "Traits most visible in the morning block",
     "The morning sessions were data-heavy, and in them Theo's analytical side dominated his usual warmth.",
     ["Asks for the denominator", "Patient with complexity", "Brief when he agrees"], "data"),
    ("paragraph", "what_drives_them", "Presenting the technician staffing case",
     "His own session on field-technician staffing was the most animated twenty minutes of his day: he argued for 14 additional technicians across four cities and tied each one to a named repair backlog.", "drive"),
    ("paragraph", "how_they_think", "Building the staffing model",
     "His staffing model used repair visits per technician per day as its single driving assumption, and he said plainly that if that assumption was wrong by more than 10% the whole request should be revisited.", "data"),
    ("paragraph", "how_they_handle_pushback_and_objections", "Sunil's objection on contractor cover",
     "When Sunil asked why contractors could not cover the peak, Theo answered with the Q4 contractor rework rate (19%, against 6% for employed technicians) and then stopped talking, letting the figure carry the argument.", "conflict"),
    ("paragraph", "pressure_response", "Holding the line on the 14 hires",
     "Asked by Marisol whether ten technicians would do, he said he could live with ten only if Amsterdam was delayed, making the trade-off explicit rather than negotiating the number down.", "conflict"),
    ("actions", "how_to_handle_the_hard_parts", "Handling staffing disagreements with him",
     [("Argue with his assumption, not his conclusion",
       "His model rests on visits per technician per day. Challenge that figure with data and he will re-run the numbers himself; challenge the headcount directly and he will dig in."),
      ("Make the trade-off explicit",
       "He responds well to \"if we do X, what gives?\" framing because it is how he reasons himself."),
      ("Don't treat contractors as a neutral substitute",
       "He has a specific, evidence-backed view on contractor quality. Address the rework rate head-on if you propose them.")]),
    ("paragraph", "how_they_operate", "The Q3 budget vote",
     "Marisol's budget session forced each leader to rank their own requests, and Theo ranked the technician hires first and his own team's tooling budget last, cutting €60k from his own line without being asked.", "conflict drive"),
    ("paragraph", "what_drives_a_yes", "What moved his vote on the budget",
     "He voted for Clara's retention-experiment budget only after she agreed that one experiment would target customers who had a failed repair visit, which tied her proposal to the problem he cares most about.", "drive"),
    ("paragraph", "how_they_connect", "Lunch conversation with Bram",
     "The lunch recording caught an informal ten-minute exchange with Bram about the support team's morale, in which Theo mostly asked questions and offered to lend two technicians for a day to sit with support agents.", "social"),
    ("paragraph", "bottom_line", "Where he stood at midday",
     "By lunch Theo had secured provisional agreement for twelve of his fourteen technicians, conceded two without visible frustration and built goodwill with Clara and Bram that he drew on in the afternoon.", "summary"),
    ("traits", "dominating_traits", "Traits that surfaced under budget pressure",
     "The budget vote was the most competitive hour of the day, and it brought out a sharper, more tactical side of Theo than the morning sessions showed.",
     ["Trades before he's asked", "Ties every ask to a customer", "Keeps score, privately"], "conflict"),
    ("paragraph", "how_they_think", "Vendor consolidation: framing the choice",
     "Sunil's proposal to consolidate from five spare-parts vendors to two was, for Theo, a question about lead times rather than unit price, and he asked for the 90th-percentile delivery time of each shortlisted vendor.", "data"),
    ("paragraph", "buying_tendencies", "How he evaluates suppliers",
     "He evaluates suppliers on their worst weeks, not their averages, and cited a vendor that had missed a brake-pad delivery for 23 days in November as the reason he distrusts single-sourcing.", "data"),
    ("paragraph", "how_they_handle_pushback_and_objections", "Disagreeing with Sunil on single-sourcing",
     "When Sunil argued that two vendors gave enough redundancy, Theo agreed for frames and batteries but held out for a third vendor on brake and drivetrain parts, the categories that drive repeat repair visits.", "conflict"),
    ("paragraph", "how_they_deal_when_a_deal_gets_sticky", "Breaking the vendor deadlock",
     "With the discussion stalled after twenty minutes, Theo proposed a six-month trial of two vendors with a pre-agreed trigger for adding a third, and Sunil accepted it within a minute.", "conflict"),
    ("actions", "how_to_close", "Closing a decision with him",
     [("Offer a reversible trial with a trigger",
       "He agrees to risky changes when there is a pre-agreed condition for reversing them, as the vendor trial showed."),
      ("Confirm the decision in writing the same day",
       "He asked Sunil to \"put the trigger in the minutes\". He expects agreements to be recorded, not remembered.")]),
    ("paragraph", "what_drives_them", "The Amsterdam expansion debate",
     "Amsterdam was the only topic on which Theo argued against the CEO's position, asking Renata to delay the launch by one quarter until the technician hires were in place in Rotterdam and Utrecht.", "drive conflict"),
    ("paragraph", "how_they_connect", "Disagreeing with Renata in the room",
     "He disagreed with Renata respectfully and in public, opening with \"I want Amsterdam as much as you do\" and closing with a concrete alternative date, which kept the exchange from feeling like a challenge to her authority.", "conflict"),
    ("paragraph", "pressure_response", "When Renata pushed back on the delay",
     "Renata's pushback (\"we said Q3 to the board\") was the highest-stakes moment of his day; he paused for several seconds, acknowledged the board commitment and offered a soft launch with 200 bikes instead of 1,000.", "conflict"),
    ("paragraph", "how_they_think", "Designing the Amsterdam soft launch",
     "His soft-launch proposal was fully formed when he offered it, down to the number of technicians (three) and the neighbourhoods (De Pijp and Oost), suggesting he had prepared it in advance as a fallback.", "data"),
    ("paragraph", "how_they_handle_feedback", "Accepting the compromise on Amsterdam",
     "When the group settled on 400 bikes, double his proposal, he accepted it without relitigating and immediately asked Femi what that meant for the battery-swap plan.", "conflict"),
    ("traits", "dominating_traits", "Traits in high-stakes disagreement",
     "The Amsterdam debate showed how he behaves when he disagrees with the most senior person in the room.",
     ["Disagrees with a fallback ready", "Respects the hierarchy", "Moves on once it's settled"], "conflict"),
    ("paragraph", "bottom_line", "What the Amsterdam episode tells us",
     "Theo is willing to spend political capital on operational readiness, but he spends it carefully: he came with an alternative, accepted a middle position and did not return to the argument later in the day.", "summary"),
    ("paragraph", "how_they_operate", "Support automation: listening first",
     "During Bram's session on chatbot deflection Theo asked only two questions in forty minutes, both about what happens to a repair request once the bot hands it on.", "listen"),
    ("paragraph", "how_they_think", "His concern with bot-to-technician handoffs",
     "He argued that the bot should book repair visits directly into the technician calendar rather than creating a ticket, estimating it would remove a day from the average time to repair.", "data"),
    ("paragraph", "how_they_connect", "Backing Bram's proposal",
     "He publicly backed Bram's automation budget, saying it was \"the cheapest technician I'll ever hire\", a line that got the biggest laugh of the afternoon and visibly helped Bram's case.", "social"),
    ("actions", "how_to_follow_up", "Following up with him after cross-team sessions",
     [("Send him the handoff design, not the whole spec",
       "He cares about the seams between teams. For any cross-team project, send him the part that touches field operations first."),
      ("Credit his team by name",
       "He noticed when Bram credited the Rotterdam technicians. Recognising his people lands better with him than recognising him."),
      ("Close the loop within the week",
       "He asked three presenters to follow up \"by Friday\". He will notice if you don't.")]),
    ("paragraph", "what_drives_them", "Retention experiments and repeat repairs",
     "In Clara's retention session he volunteered his team to run the failed-repair recovery experiment, offering a free follow-up visit within 48 hours to any customer whose first repair failed.", "drive"),
    ("paragraph", "buying_tendencies", "How he weighs experiment design",
     "He pressed Clara to randomise by technician rather than by customer, arguing that technician skill would otherwise swamp the effect, and Hyun-woo backed the point.", "data"),
    ("paragraph", "how_they_handle_feedback", "Hyun-woo's note on sample size",
     "When Hyun-woo said the experiment would need eight weeks rather than four to be conclusive, Theo asked what the smallest useful version was and accepted six weeks with a mid-point check.", "conflict data"),
    ("paragraph", "how_they_connect", "Collaborating with Clara",
     "Theo and Clara had the most productive partnership of the day, building on each other's proposals four times in the retention session, a marked shift from the morning's correction over NPS data.", "social"),
    ("traits", "dominating_traits", "Traits in collaborative sessions",
     "In sessions he did not own, Theo's contributions were fewer but more targeted.",
     ["Adds the field view", "Volunteers his team", "Respects the analyst"], "social listen"),
    ("paragraph", "how_they_operate", "Presenting the hiring plan",
     "His hiring-plan session was the tightest of the day: twelve slides in eighteen minutes, one decision requested and a named owner for each of the four cities.", "drive"),
    ("paragraph", "what_drives_a_yes", "What he needs before approving hires",
     "He said he would approve no technician hire without a ride-along in the final interview stage, and cited two mis-hires in 2025 that a ride-along would have caught.", "drive"),
    ("paragraph", "how_they_think", "His view on technician career paths",
     "He raised, unprompted, the need for a senior-technician grade, arguing that Kestrel loses its best technicians at the two-year mark because there is nowhere for them to go.", "drive"),
    ("paragraph", "how_they_handle_pushback_and_objections", "Marisol's question on salary bands",
     "Marisol challenged the cost of a new senior grade, and Theo offered to fund the first three promotions from the two technician roles he had conceded in the morning budget vote.", "conflict"),
    ("paragraph", "pressure_response", "Late-afternoon fatigue",
     "By 16:30 his answers were noticeably shorter and he interrupted Sunil once, then apologised, the only interruption he made all day.", "late"),
    ("actions", "how_to_get_their_best", "Scheduling and pacing around him",
     [("Put his decisions before 15:00",
       "His sharpest reasoning came in the morning and early afternoon. Schedule anything that needs his judgement before mid-afternoon."),
      ("Give him a break before his own sessions",
       "He presented straight after Bram and needed two minutes to switch gears. A short buffer helps."),
      ("Keep late sessions to decisions already shaped",
       "Late in the day he agrees to less and asks fewer questions; bring him pre-shaped options then, not open problems.")]),
    ("paragraph", "how_they_connect", "The breakout with Sunil",
     "The twenty-minute breakout with Sunil, recorded separately, showed a more candid Theo who admitted he was worried about being \"the person who always says not yet\".", "private"),
    ("paragraph", "how_they_handle_feedback", "Sunil's feedback on his style",
     "Sunil told him his cautions would land better if he led with what could be done now, and Theo wrote it down and asked for an example from that day's sessions.", "private"),
    ("paragraph", "what_drives_them", "What he wants from the next year",
     "In the breakout he said his goal for the year was to make repair quality \"boring\", meaning so reliable that it never comes up at an offsite again.", "drive summary"),
    ("paragraph", "how_they_deal_when_a_deal_gets_sticky", "Revisiting the conceded technicians",
     "He raised the two conceded technicians once more with Sunil in private, framed as a question about Q4 rather than a reopening of the budget, and accepted Sunil's answer to revisit in September.", "conflict"),
    ("traits", "dominating_traits", "Traits visible in private conversation",
     "One-to-one, Theo was more reflective and more openly self-critical than in the group sessions.",
     ["Self-aware about his reputation", "Asks for concrete feedback", "Plays the long game"], "private"),
    ("paragraph", "how_they_operate", "The closing commitments round",
     "In Renata's closing round each leader named three commitments; Theo named the technician hires, the failed-repair experiment and a ride-along policy, each with a date.", "summary"),
    ("paragraph", "how_they_connect", "How he closed with the group",
     "He thanked Femi, Bram and Clara by name for specific contributions, and he was the only leader to thank Hyun-woo for the data work behind the morning sessions.", "social"),
    ("actions", "how_to_follow_up", "Following up on his offsite commitments",
     [("Check the ride-along policy by 30 June",
       "He committed to a written ride-along policy by the end of the month. Ask to see the draft rather than waiting for the final."),
      ("Schedule the experiment mid-point",
       "Put the week-three check on the failed-repair experiment in the calendar now, with Hyun-woo and Clara invited."),
      ("Revisit the two conceded technicians in September",
       "He agreed to wait and he will bring it back. Have the Q3 repair-backlog figures ready when he does.")]),
    ("paragraph", "bottom_line", "How his day compared with his baseline",
     "Compared with the two baseline recordings from March, Theo was more assertive today, disagreeing openly with the CEO for the first time on record, while keeping the warmth and the preference for evidence that define his style. He interrupted less, asked more questions and, unlike in March, conceded points in public and traded them back later in the day.", "none"),
    ("actions", "how_to_handle_the_hard_parts", "Working through his cautious instincts",
     [("Ask \"what could we do now?\"",
       "Sunil's feedback is the right lever: when he says \"not yet\", ask what a smaller version would look like today. He usually has one ready."),
      ("Don't read reserve as disagreement",
       "His silence in the swap-network session was analysis. Ask for his view directly before the item closes.")]),
    ("paragraph", "how_they_think", "How he balances cost and quality",
     "Throughout the day he treated repair quality as the constraint and cost as the variable, the reverse of the finance framing, and he was explicit that this was a choice, not an oversight.", "summary drive"),
    ("paragraph", "pressure_response", "Consistency across a long day",
     "Despite the length of the offsite his core positions did not drift: the number he argued for at 11:40 was the number he was still defending at 16:50, less the two he had knowingly traded.", "summary"),
    ("actions", "how_to_close", "Getting his commitment on cross-functional plans",
     [("Tie the plan to repeat repairs",
       "Every proposal he backed today had a line to failed repairs. Draw that line yourself before you ask for his support."),
      ("Show him what his team gives up",
       "He trades readily when the cost to his own team is visible and fair. Hide it and he will find it.")]),
    ("paragraph", "bottom_line", "Bottom line",
     "Theo is a grounded, evidence-led operations leader who protects the front line and spends his influence carefully. He is at his best with operational data, explicit trade-offs and reversible decisions, and at his least effective late in the day or when asked to commit without a fallback. Keep him close to the retention work: his instinct that repair quality drives churn was the most important insight of the offsite.", "none"),
]

# Fragment pools. Each fragment lists the section tags it suits, and optionally a
# words that, if already in the anchor, rule it out (to avoid saying it twice).
# Tags: data, conflict, social, listen, drive, summary, private (one-to-one), late (end of day); "none" keeps the anchor as the whole body.
EVIDENCE = [
    ("He returned to this theme {n} times over the day, each time from a slightly different angle.", "drive summary", None),
    ("{person} picked up on the point immediately, and the discussion that followed ran for about {m} minutes.", "data social", None),
    ("His pace dropped to roughly {wpm} words a minute here, well below his average for the day.", "data conflict", "pace"),
    ("Nobody challenged the point at the time, but {person} referred back to it after the break.", "data drive", None),
    ("He paused for several seconds before answering, the longest silence of that session.", "conflict listen", "paused immediately"),
    ("He had spoken for less than a fifth of the session at that point, yet the decision followed his framing.", "listen", None),
    ("He checked the figure with {person} before relying on it, a habit visible throughout the recording.", "data", None),
    ("The exchange is short in the transcript, but it changed the direction of the session.", "data conflict", None),
    ("{person} later described the point as \"the one thing I'll remember from today\".", "data drive", None),
    ("He said \"we\" throughout, including when describing decisions his team had not been part of.", "social summary", None),
    ("There were {n} separate questions from him in this part of the session, all of them specific.", "data listen", "questions"),
    ("The recording picks up laughter around the table here, and the tension of the previous item eased.", "social", "laugh"),
    ("He wrote the number down before responding, as he did with most figures that day.", "data", "wrote"),
    ("Set against his March baseline, he was noticeably more direct here.", "conflict", "baseline"),
    ("His tone stayed level, although his sentences became shorter as the discussion went on.", "conflict", "shorter"),
    ("He argued from a specific case in Rotterdam rather than from a general principle.", "drive", "rotterdam cited"),
    ("The others around the table responded in kind, and the next few exchanges were noticeably warmer.", "social", None),
    ("Across the day's recordings this showed up in at least {n} separate sessions.", "summary", None),
    ("The same pattern appears in both of his March baseline recordings.", "summary", "baseline"),
    ("He took notes throughout and did not check his phone once during the session.", "listen", "notes"),
    ("When he did speak, {person} stopped to write down what he said.", "listen", None),
    ("It was the longest stretch of the day in which he talked about himself rather than his team.", "private", None),
    ("The drop is audible in the recording: his answers in the final hour ran to about half the length of his morning answers.", "late", None),
    ("He spoke more slowly than in the group sessions and left longer gaps for Sunil to come in.", "private", None),
    ("He laughed at himself twice, something he did not do once in the group sessions.", "private", "laugh"),
]
INTERPRET = [
    ("This is typical of him: he looks for the operational mechanism behind a headline number.", "data", None),
    ("It suggests he trusts evidence from the field more than evidence from dashboards.", "data drive", None),
    ("The behaviour fits someone who sees his role as translating between the front line and the leadership table.", "social drive summary", None),
    ("It reads as confidence rather than stubbornness, because he had said in advance what would change his mind.", "conflict", None),
    ("The pattern points to a leader who keeps his own ledger of trade-offs and expects others to honour it.", "conflict summary", None),
    ("It shows his preference for narrowing a claim over abandoning it when challenged.", "conflict", "narrowing"),
    ("This is where his loyalty to his technicians is most visible, and where it is most persuasive.", "drive conflict", None),
    ("The move reflects a habit of preparing a fallback before he argues a position.", "conflict", "fallback"),
    ("It shows he is comfortable letting a colleague hold the expert role when the colleague has better data.", "social listen", None),
    ("His restraint is deliberate; he speaks less when he expects to need his credibility later.", "listen", None),
    ("It reflects a broader preference for reversible decisions over big, one-way bets.", "summary conflict", None),
    ("It illustrates how quickly he moves from disagreement to implementation once a decision is made.", "conflict", None),
    ("It is a sign of how much weight he gives to relationships with peers who run adjacent teams.", "social", None),
    ("Underneath it is a simple conviction: customers leave when repairs fail.", "drive data summary", None),
    ("It is one of the clearest examples of how his loyalty to the front line sets his priorities.", "drive summary", None),
    ("It fits a leader whose influence comes from preparation rather than position.", "summary data", None),
    ("It shows how much of his credibility comes from knowing the field in detail.", "drive summary", None),
    ("It is an ordinary fatigue effect, but it matters in someone who trades carefully, because late agreements get less scrutiny from him.", "late", None),
    ("It suggests the caution others see in meetings is partly a choice he has already begun to question.", "private", None),
]
IMPLY = [
    ("In practice, bring the field-level detail to him first and the summary second.", "data", None),
    ("Anyone presenting to him should expect the first question to be about the denominator.", "data", None),
    ("It is worth crediting him explicitly in the minutes when he concedes a point; he keeps track.", "conflict", None),
    ("Colleagues who want his support should show how their proposal affects repeat repair visits.", "drive summary", None),
    ("A short pre-read with the key assumptions will save a round of questions in the meeting.", "data listen", None),
    ("Managers should note that his silence is usually analysis, not disengagement.", "listen", None),
    ("The practical lesson is to frame requests to him as trade-offs rather than asks.", "conflict summary", None),
    ("This is a strength to build on in the Amsterdam rollout, where field readiness will decide the outcome.", "social drive summary", "amsterdam"),
    ("Expect the same pattern in the September budget review.", "conflict data", "september"),
    ("Pair him with an analyst early on any initiative he sponsors; he makes better use of data than most.", "data", None),
    ("Peers can count on him as an ally in cross-team work, provided the front line is not the one paying for it.", "social", None),
    ("Invite him early to anything that touches the field; he contributes more when he is not reacting.", "listen social", None),
    ("When he argues for headcount, treat it as a customer argument, because that is how he means it.", "drive", None),
    ("Leaders who share his customer focus will find him generous with both time and credit.", "social drive", None),
    ("Any plan that asks him to trade quality for speed needs an explicit exit ramp.", "summary conflict", None),
    ("Use him as the sense-check on any plan that assumes the field can absorb more work.", "summary data", None),
    ("Colleagues should expect him to hold them to the commitments he heard them make.", "summary social", None),
    ("If a decision needs his full attention, do not leave it to the last session of a long day.", "late", None),
    ("His manager can use this opening: he is ready for direct coaching on how he frames objections.", "private", None),
]

def compose(rng, anchor, tags, used):
    """Anchor sentence plus one to three pooled sentences that suit the section's tags."""
    tags = set(tags.split())
    low = anchor.lower()

    def fill(s):
        return s.format(person=rng.choice([p for p in PEOPLE if p.lower() not in low] or PEOPLE),
                        n=rng.randint(3, 6), m=rng.randint(4, 18), wpm=rng.randint(105, 128))

    def draw(pool, name, limit):
        fits = [f for f in pool if tags & set(f[1].split()) and not any(w in low for w in (f[2] or "").split())]
        fits = [f for f in fits if used[(name, f[0])] < limit]
        if not fits:
            return None
        least = min(used[(name, f[0])] for f in fits)
        f = rng.choice([f for f in fits if used[(name, f[0])] == least])
        used[(name, f[0])] += 1
        return fill(f[0])

    parts = [anchor]
    shape = rng.choice(["EIM", "EI", "IM", "EM", "IM", "EI", "E", "I", "M"])
    if "summary" in tags:
        shape = shape.replace("E", "") or "I"
    for c in shape:
        s = draw({"E": EVIDENCE, "I": INTERPRET, "M": IMPLY}[c], c, 2)
        if s:
            parts.append(s)
    if len(parts) == 1:  # every body gets at least one supporting sentence
        for c in "IME":
            s = draw({"E": EVIDENCE, "I": INTERPRET, "M": IMPLY}[c], c, 3)
            if s:
                parts.append(s)
                break
    return " ".join(parts)

def build():
    rng = random.Random(SEED)
    used = collections.Counter()
    sections = []
    for spec in SECTIONS:
        kind, key, title = spec[:3]
        if kind == "paragraph":
            anchor, tags = spec[3], spec[4]
            sections.append({"kind": "paragraph", "key": key, "title": title, "body": compose(rng, anchor, tags, used)})
        elif kind == "traits":
            anchor, phrases, tags = spec[3], spec[4], spec[5]
            assert len(phrases) == 3
            sections.append({"kind": "traits", "key": key, "title": title,
                             "body": compose(rng, anchor, tags, used), "phrases": list(phrases)})
        else:
            sections.append({"kind": "actions", "key": key, "title": title,
                             "items": [{"title": t, "context": c} for t, c in spec[3]]})
    return sections

def markdown(title, summary, sections):
    out = [f"# {title}", "",
           "*Kestrel Mobility leadership offsite · 3 June 2026 · about six hours across twelve recorded sessions · target speaker: Theo Lindqvist, Director of Customer Operations*",
           "", f"> {summary}", "", "## Agenda", "", "| Time | Session | Led by |", "|:--|:--|:--|"]
    out += [f"| {t} | {s} | {who} |" for t, s, who in AGENDA]
    out += ["", "## Contents", ""]
    out += [f"{i + 1}. {s['title']}" for i, s in enumerate(sections)]
    out.append("")
    for i, s in enumerate(sections):
        out += [f"## {i + 1}. {s['title']}", ""]
        if s["kind"] == "actions":
            out += [f"- [ ] **{it['title']}**: {it['context']}" for it in s["items"]]
        else:
            out.append(s["body"])
            if s["kind"] == "traits":
                out += [""] + [f"- *{p}*" for p in s["phrases"]]
        out.append("")
    out += ["---", "", "> \"I want repair quality to be boring. So reliable that we never talk about it at an offsite again.\"",
            "> — Theo Lindqvist, breakout with Sunil Varma", "",
            f"Recordings: [all twelve sessions](https://storage.mappa.ai/media/{MEDIA}) · report `{RID}`", ""]
    return "\n".join(out)

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("-o", "--output", default=os.path.join(here, "..", "long", "sixty_sections.json"))
    args = ap.parse_args()
    sections = build()
    title = f"General report: {SUBJECT}, Kestrel Mobility leadership offsite"
    summary = ("Theo is a grounded, evidence-led operations leader who spent the offsite arguing, carefully and mostly successfully, for the technicians who keep Kestrel's fleet running. "
               "He secured twelve of fourteen requested hires, shaped the vendor and retention decisions around repeat repair visits and disagreed openly with the CEO on Amsterdam while offering a workable compromise. "
               "He is at his best with operational data and reversible decisions, and least effective late in the day.")
    doc = {
        "id": RID,
        "createdAt": "2026-06-03T18:47:12.309Z",
        "jobId": "job_8Rv2NxKq5TdW3mLc",
        "label": "Kestrel leadership offsite 2026-06-03",
        "entity": {"id": "entity_2Qk7VzMb4XhP9rTs", "label": SUBJECT},
        "media": {"mediaId": MEDIA, "url": f"https://storage.mappa.ai/media/{MEDIA}"},
        "output": {"template": "general_report"},
        "json": {
            "meta": {"prompt": {"labels": ["production", "general", "long-form"], "name": "reports/general_report", "version": 11},
                     "render": {"attempts": 3, "model": "claude-sonnet-4-5", "provider": "anthropic"}},
            "schemaVersion": 2,
            "title": title,
            "summary": summary,
            "template": "general_report",
            "sections": sections,
        },
        "markdown": markdown(title, summary, sections),
        "provenance": {"behaviorMapId": "bmap_5Nt1WqHz8KcR6vYd",
                       "baselineSampleIds": ["sample_7Dm3PxLv2QbT9kWn", "sample_1Hs6RyCz4MfN8tGq"]},
    }
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if args.output == "-":
        print(text, end="")
    else:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {os.path.normpath(args.output)}: {len(sections)} sections")

if __name__ == "__main__":
    main()
