"""Our event lexicon: verbs and event nouns → CAMEO codes, plus the cue-word lists the coder needs.

Written for newsmill (not taken from any dictionary). A verb line is ``lemma [particle] [+prep[:obj|obj]]
[~obj|obj] = CODE``: ``+at`` needs a prepositional phrase with "at" (its object is the target), ``+with:force``
needs "with" followed by one of the listed nouns, ``~troops|soldiers`` needs a direct object with one of
those lemmas (lemmas: write "tie" as well as "ties"). The first line of a lemma whose conditions hold wins, so specific lines come first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_VERBS = """
attack = 190
strike +against = 143
strike = 190
hit ~target|base|position|convoy|town|city|village = 190
bomb = 195
shell = 194
pound = 194
fire +at = 190
fire +on = 190
fire ~rocket|missile|shell|mortar|shot|round = 190
launch +at = 190
launch ~missile|rocket|mortar|shell = 190
kill = 190
assassinate = 186
murder = 1823
execute = 1823
behead = 1823
massacre = 202
slaughter = 202
wound = 190
injure = 190
shoot = 193
gun down = 193
ambush = 190
raid = 190
storm = 190
invade = 192
occupy = 192
seize ~territory|town|city|village|area|airport|base|control = 192
seize = 1711
capture ~town|city|village|area|territory|base = 192
capture = 181
abduct = 181
kidnap = 181
hijack = 181
torture = 1822
beat = 182
assault = 182
target = 190
destroy = 1712
demolish = 1712
blow up = 183
meet +with:force|violence|fire|gunfire|bullet|bullets|tear = 190
fight = 190
clash +with = 190
battle = 190
harass = 170
intimidate = 170
besiege = 191
blockade = 191
arrest = 173
detain = 173
jail = 173
imprison = 173
charge +with = 173
prosecute = 173
deport = 174
expel ~diplomat|ambassador|envoy|inspector|observer|monitor|peacekeeper|mission = 166
expel = 174
crack down +on = 175
repress = 175
sanction = 163
embargo = 163
boycott = 143
protest +against = 140
protest = 141
demonstrate +against = 141
demonstrate = 141
rally +against = 141
march +against = 141
riot = 145
threaten = 130
warn +of = 130
warn +against = 130
vow +to = 138
menace = 130
criticize = 111
criticise = 111
condemn = 111
denounce = 111
oppose = 111
slam = 111
blast = 111
decry = 111
deplore = 111
rebuke = 111
reprimand = 111
blame = 112
accuse = 112
allege = 112
sue = 115
investigate = 090
probe = 090
demand = 100
urge = 020
appeal +to = 020
appeal +for = 020
call +on = 020
call +for = 020
ask = 020
request = 020
press = 020
reject = 120
refuse = 120
deny = 120
rebuff = 120
veto = 129
defy = 128
snub = 120
praise = 051
hail = 051
welcome = 051
commend = 051
endorse = 051
back = 051
support = 051
thank = 051
defend = 052
congratulate = 051
recognize = 054
recognise = 054
normalize ~ties|relations|tie|relation = 054
normalise ~ties|relations|tie|relation = 054
apologize = 055
apologise = 055
visit = 042
travel +to = 042
fly +to = 042
arrive +in = 042
host = 043
receive ~delegation|minister|president|visitor|envoy|counterpart|mission|observer|observers|team|delegations = 043
meet +with = 040
meet = 040
talk +with = 040
talk +to = 040
consult = 040
phone = 041
call ~counterpart|president|minister|leader = 041
discuss = 040
negotiate = 046
mediate = 045
sign ~agreement|deal|accord|treaty|pact|memorandum|contract = 057
ink ~agreement|deal|accord|treaty|pact = 057
seal ~agreement|deal|accord|treaty|pact = 057
agree +on = 030
agree +to = 030
agree = 030
pledge = 033
promise = 033
offer = 033
cooperate = 060
collaborate = 060
train ~soldier|troops|force|forces|army|police|fighter|iraqis|military|troop|iraqi = 062
arm = 072
equip = 072
supply ~weapon|arm|missile|rocket|ammunition = 072
transfer ~weapon|arm|missile|rocket|ammunition = 072
transfer +to = 0874
hand over = 0874
donate = 070
aid = 070
fund = 071
finance = 071
lend = 071
release ~prisoner|hostage|detainee|captive = 0841
free ~prisoner|hostage|detainee|captive = 0841
free = 0841
release = 084
return +to = 084
withdraw +from:talks|negotiations|talk|negotiation|process|dialogue = 164
pull out +of:talks|negotiations|talk|negotiation|process|dialogue = 164
withdraw = 0874
pull out = 0874
pull back = 0874
retreat = 0874
leave ~country|iraq|syria|base|post|region|area|territory = 0874
leave = 0874
close up ~post|base|position|outpost = 0874
close ~embassy|consulate|mission|embassies|consulates = 161
close ~post|base|position|outpost = 0874
evacuate = 0874
surrender = 0874
resign = 0831
step down = 0831
ease = 081
lift ~sanction|ban|restriction|embargo|curfew = 085
disarm = 0873
demobilize = 0873
deploy = 154
mobilize = 154
mobilise = 154
muster = 154
mass ~troops|forces|soldier|troop|force = 154
send ~peacekeeper|peacekeepers|peacekeeping = 074
deploy ~peacekeeper|peacekeepers|peacekeeping = 074
send ~troops|soldier|force|forces|warship|jet|reinforcement|troop|tank|tanks|warships|jets|ship|ships|aircraft|plane|planes|helicopter|helicopters|artillery|armor|armour|battalion|unit|units = 154
bring ~patriot|missile|defense|defence|system|battery|weapon|jet = 152
build up ~militia|force|forces|army|troops|troop = 154
station = 154
reinforce = 154
strengthen ~force|forces|troops|presence|garrison|troop = 154
telephone = 041
summon ~ambassador|envoy|diplomat|charge = 111
outlaw = 172
ban = 172
impose ~curfew = 1723
impose ~martial|law = 1724
suspend ~aid|assistance|program|programme|cooperation|talks|ties|relations|deliveries|shipments|talk|tie|relation|delivery|shipment = 162
cut ~aid|assistance|ties|relations|tie|relation = 162
sever ~ties|relations|tie|relation = 1621
break off ~ties|relations|talks|tie|relation|talk = 1621
restore ~ties|relations|tie|relation = 064
upgrade ~ties|relations|tie|relation = 054
grant ~asylum = 075
grant ~aid|loan|loans|credit|credits|assistance|money|funds|grant = 071
grant ~amnesty|pardon|autonomy|independence|concession|concessions = 080
indict = 112
convict = 116
sentence = 116
call off ~strike|protest|boycott|offensive|attack = 083
cancel ~restriction|restrictions|ban|curfew|sanctions|sanction = 081
give ~grant|aid|loan|assistance|money|credit|grants|loans|credits = 071
provide ~aid|assistance|food|loan|grant|shelter|medicine|weapon|weapons|arms|arm|troops|troop = 070
provide ~intelligence|information|equipment|training|support|protection|supplies|supply|fuel|relief|funding|funds|money|credit|loans|escort = 070
contribute ~troops|troop|soldier|soldiers|peacekeeper|peacekeepers|force|forces = 074
contribute ~funds|fund|money|aid = 071
extend ~curfew = 1723
impose ~embargo|sanction|sanctions = 163
impose ~restriction|restrictions|ban|blackout = 172
declare ~state|emergency|siege|curfew = 175
share ~expertise|information|intelligence|technology|data|evidence|findings|finding = 064
establish ~ties|relations|tie|relation = 054
forgive = 056
pardon = 056
hack +into = 170
hack = 170
seek +in ~asylum|refuge|protection|shelter|sanctuary = 023
seek +at ~asylum|refuge|protection|shelter|sanctuary = 023
seek ~asylum|refuge|protection|shelter|help|aid|assistance|support = 023
applaud = 051
laud = 051
salute = 051
side +with = 051
express ~support|solidarity|sympathy = 051
express ~regret = 055
confer = 040
invite = 026
plead = 020
implore = 020
beg = 020
petition = 020
turn down = 120
spurn = 120
violate ~ceasefire|truce = 196
break ~ceasefire|truce = 196
break ~ties|relations|tie|relation = 161
violate ~ban|agreement|accord|law|resolution|embargo|sanction|sanctions|order|ruling = 128
ignore ~call|appeal|demand|warning|ultimatum|order|ruling = 128
chastise = 111
censure = 111
castigate = 111
lambaste = 111
assail = 111
object +to = 111
complain +about = 114
look into = 090
recall ~ambassador|envoy|diplomat|diplomats|ambassadors|envoys = 161
downgrade ~ties|relations|tie|relation = 161
freeze ~assets|asset|funds|fund|accounts|account = 163
freeze ~aid|assistance|cooperation|funding = 162
freeze ~ties|relations|tie|relation|talks|talk = 161
withhold ~aid|assistance|funds|funding|payment|payments = 162
blacklist = 163
quit ~post|job|office|government|cabinet|coalition|presidency = 0831
abdicate = 0831
disband = 0873
lay down ~arms|weapons|arm|weapon = 0873
redeploy = 154
shut down ~newspaper|paper|website|station|radio|television|channel|broadcaster|office = 172
censor = 172
extradite = 174
evict = 174
bombard = 194
strafe = 195
overrun = 192
annex = 192
stab = 182
lynch = 1823
rape = 182
picket = 141
go +on:strike = 143
airlift ~aid|food|supplies|medicine|supply = 073
deliver ~aid|food|grain|flour|wheat|rice|medicine|medicines|supplies|supply|relief|fuel|tent|tents|blanket|blankets = 073
ship ~aid|food|grain|flour|wheat|rice|medicine|medicines|supplies|supply|relief|fuel = 073
deliver ~weapon|weapons|arms|arm|missile|missiles|ammunition = 072
send ~aid|food|supplies|medicine|relief|assistance|supply = 073
back down = 080
cave in = 080
yield +to = 080
accede +to = 083
comply +with = 083
hand back = 084
give back = 084
repatriate = 084
lobby = 020
team up +with = 060
join ~forces = 060
exchange ~intelligence|information|prisoners|prisoner|data = 064
inspect = 090
reproach = 111
berate = 111
ridicule = 111
deride = 111
mock = 111
rule out = 120
round up = 173
raze = 1712
bulldoze = 1712
detonate = 183
explode ~bomb|bombs|device|devices|car|mine|mines = 183
slay = 190
counterattack = 190
retaliate +against = 190
tour = 042
impeach = 173
exchange ~fire|gunfire|shots|shot = 190
stone = 145
pelt = 145
repulse = 190
repel = 190
use ~force|gas|teargas|violence|bullet|bullets|baton|batons|tear = 175
lodge ~protest|complaint = 114
file ~complaint|protest = 114
file ~lawsuit|suit = 115
put ~troops|forces|army|military|police|troop|force +on:alert = 152
place ~troops|forces|army|military|police|troop|force +on:alert = 152
loot = 171
ransack = 171
plunder = 171
dissolve ~party|parliament|assembly|organization|organisation|group|union|movement = 172
banish = 174
exile = 174
suppress = 175
quell = 175
disperse = 175
break up ~protest|demonstration|rally|crowd|march|gathering|strike = 175
relax ~curfew|restriction|ban|rule|control|blockade|sanction = 081
shorten ~curfew = 081
send ~inspector|inspectors|observer|observers|monitor|monitors|investigator|investigators = 090
dispatch ~inspector|inspectors|observer|observers|monitor|monitors|investigator|investigators = 090
dispatch ~troops|troop|soldier|soldiers|force|forces|warship|warships = 154
concede +to = 083
give in +to = 083
halt ~attack|attacks|offensive|fighting|bombing|shelling|operation|operations|raids|raid = 087
stop ~attack|attacks|offensive|fighting|bombing|shelling|raids = 087
end ~offensive|fighting|siege|blockade|occupation|strike|hunger|boycott = 087
halt ~aid|assistance|cooperation|talks|mediation|deliveries|shipments|imports|exports|talk|delivery|shipment|import|export = 162
end ~mediation|cooperation|talks|aid|talk = 162
lift ~state|emergency|siege|blockade = 081
declare ~ceasefire|truce = 0871
accept ~invitation = 036
accept ~demand|demands|proposal|plan|offer|terms|term = 083
dismiss ~appeal|demand|proposal|offer|plan|request = 120
decline = 120
renege = 120
reach ~agreement|deal|accord|consensus|settlement|compromise|consensu = 030
conclude ~agreement|deal|accord|treaty|pact = 057
ratify = 057
block ~road|roads|street|streets|highway|bridge|traffic|transport|access|entrance|railway|port = 144
barricade = 144
open ~fire = 190
confiscate = 1711
retake = 192
recapture = 192
set ~fire = 1712
torch = 1712
deface = 170
force out = 174
stop ~work = 143
walk out = 143
hold ~hostage|hostages = 181
open ~border|borders|crossing|crossings|airspace|corridor = 081
reopen ~border|borders|crossing|crossings|airspace|corridor = 081
open +in ~embassy|consulate|mission|embassies|consulates = 054
reopen +in ~embassy|consulate|mission|embassies|consulates = 054
remove ~sanction|sanctions|ban|restriction|restrictions|embargo|curfew = 085
close ~border|borders|crossing|crossings|airspace = 172
seal ~border|borders|crossing|crossings = 172
bar = 172
prohibit = 172
surround = 191
breach ~ceasefire|truce = 196
breach ~agreement|accord|law|resolution|embargo|sanction|sanctions|order|ruling = 128
combat = 190
insult = 111
chide = 111
"""

#: Event nouns: coded when a light verb carries them ("launched airstrikes", "slapped sanctions on"),
#: or when they have their own actor and target ("Iran's threats against Israel").
_NOUNS = """
attack = 190
assault = 190
offensive = 190
strike = 190
airstrike = 195
air strike = 195
raid = 190
bombing = 183
shelling = 194
rocket attack = 190
ambush = 190
invasion = 192
killing = 190
assassination = 186
massacre = 202
war = 190
fighting = 190
threat = 130
ultimatum = 139
warning = 130
sanction = 163
embargo = 163
boycott = 143
protest = 141
demonstration = 141
rally = 141
riot = 145
strike action = 143
criticism = 111
rhetoric = 111
condemnation = 111
accusation = 112
allegation = 112
demand = 100
appeal = 020
fire = 190
gunfire = 193
support = 051
solidarity = 051
readiness = 030
willingness = 030
suicide bombing = 1831
car bombing = 1832
roadside bombing = 1833
ethnic cleansing = 203
consultation = 040
summit = 040
deployment = 154
mobilization = 154
mobilisation = 154
buildup = 154
walkout = 143
march = 141
release = 084
recognition = 054
apology = 055
pledge = 033
invitation = 026
veto = 129
bombardment = 194
incursion = 192
occupation = 192
siege = 191
kidnapping = 181
abduction = 181
execution = 1823
detention = 173
deportation = 174
evacuation = 0874
suspension = 162
expulsion = 166
mediation = 045
talk = 046
negotiation = 046
visit = 042
meeting = 040
aid = 070
assistance = 070
agreement = 057
deal = 057
ceasefire = 0871
truce = 0871
withdrawal = 0874
arrest = 173
crackdown = 175
investigation = 090
probe = 090
inquiry = 090
hearing = 090
strike action = 143
general strike = 143
hunger strike = 142
sit-in = 144
blockade = 191
curfew = 1723
martial law = 1724
asylum = 075
"""

#: Verbs that carry an event noun as their object: the noun names the action, the verb's subject acts.
LIGHT_VERBS = frozenset(
    "launch carry conduct stage make issue mount level impose slap increase intensify escalate step up ramp "
    "renew announce hold unleash wage begin start continue resume plan prepare threaten vow order "
    "authorize approve announce deliver send provide offer open organize organise call grant complete finish "
    "pay express voice".split()
)
#: Verbs of letting someone act ("allowed the candidate to run"), coded as yielding to them.
PERMIT_VERBS = frozenset(("allow", "permit"))
#: Light verbs whose subject suffers the event ("came under attack", "faced protests"): roles swap.
RECEIVING_LIGHT_VERBS = frozenset("face suffer endure receive undergo".split())
#: Light verbs that make the carried conflict event a threat or plan, not a deed.
INTENT_VERBS = frozenset("plan prepare threaten vow pledge promise intend consider".split())

#: Speech and claim cues for quotes and reported speech.
SPEECH_VERBS = frozenset(
    "say tell warn claim state add announce insist argue declare assert stress note explain reply respond "
    "vow threaten pledge promise deny admit acknowledge confirm report allege boast write tweet post "
    "predict suggest urge demand accuse charge complain concede maintain recall reveal".split()
)
#: Verbs whose complement is wanted, not done: "X wants Y to leave" is a request to Y.
WANT_VERBS = frozenset("want demand urge ask press pressure push call insist order".split())
#: Markers of a conditional or uncertain clause.
HYPOTHETICAL_MARKS = frozenset("if whether unless".split())
HYPOTHETICAL_ADVERBS = frozenset("likely possibly probably perhaps maybe reportedly allegedly".split())
MODALS = frozenset("would could might may can should must".split())
FUTURE_MODALS = frozenset("will would".split())
#: Infinitive complements of these verbs report a deed that happened ("managed to flee").
IMPLICATIVE_VERBS = frozenset("manage begin start continue proceed fail".split())
#: Infinitive complements of these verbs did not happen ("failed to reach a deal", "refused to deploy").
NEGATIVE_IMPLICATIVE_VERBS = frozenset("fail refuse decline".split())
HISTORICAL_ADVERBS = frozenset("before previously formerly once earlier ago".split())
#: Words that stop cooperation: "no longer trains" = stopped military assistance.
DISCONTINUE_WORDS = frozenset("longer stop halt suspend cease end".split())


@dataclass(frozen=True)
class LexiconEntry:
    lemma: str
    code: str
    particle: str | None = None
    prep: str | None = None
    prep_objects: frozenset[str] = frozenset()
    objects: frozenset[str] = frozenset()

    @property
    def specificity(self) -> int:
        return bool(self.particle) + bool(self.prep) + bool(self.prep_objects) + bool(self.objects)


_LINE_RE = re.compile(r"^(?P<words>[a-z\- ]+?)(?P<conds>(?:\s+[+~][^\s=]+)*)\s*=\s*(?P<code>\d+)$")


def _parse_verbs(text: str) -> dict[str, list[LexiconEntry]]:
    table: dict[str, list[LexiconEntry]] = {}
    for line in text.strip().splitlines():
        match = _LINE_RE.match(line.strip())
        if not match:
            raise ValueError(f"bad lexicon line: {line!r}")
        words = match["words"].split()
        lemma, particle = words[0], (words[1] if len(words) > 1 else None)
        prep = None
        prep_objects: frozenset[str] = frozenset()
        objects: frozenset[str] = frozenset()
        for cond in match["conds"].split():
            if cond.startswith("+"):
                prep, _, objs = cond[1:].partition(":")
                prep_objects = frozenset(objs.split("|")) if objs else frozenset()
            else:
                objects = frozenset(cond[1:].split("|"))
        table.setdefault(lemma, []).append(LexiconEntry(lemma, match["code"], particle, prep, prep_objects, objects))
    return table


def _parse_nouns(text: str) -> dict[str, str]:
    nouns: dict[str, str] = {}
    for line in text.strip().splitlines():
        words, _, code = line.partition("=")
        nouns[words.strip()] = code.strip()
    return nouns


VERB_LEXICON: dict[str, list[LexiconEntry]] = _parse_verbs(_VERBS)
NOUN_LEXICON: dict[str, str] = _parse_nouns(_NOUNS)
