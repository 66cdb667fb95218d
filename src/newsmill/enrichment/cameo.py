"""Our CAMEO event-code table: Goldstein score, quad class and the PLOVER type and mode for each code we emit.

The code numbers and Goldstein weights are the published CAMEO/Goldstein facts; the names are short labels
in our own words and the PLOVER mapping is our own reading of the PLOVER manual's definitions. Only codes
our lexicon can produce are listed; an unknown code falls back to its two-digit root.
"""

from __future__ import annotations

from dataclasses import dataclass

# code goldstein PLOVER-type PLOVER-mode(or -) label
_TABLE = """
020 3.0 REQUEST - appeal or request
021 3.4 REQUEST assist ask for material cooperation
023 3.4 REQUEST assist ask for aid
024 -0.3 REQUEST change call for political reform
025 -0.3 REQUEST yield call on target to yield
026 4.0 REQUEST meet invite to talks
027 4.0 REQUEST - call to settle a dispute
030 4.0 AGREE - signal intent to cooperate
031 5.2 AGREE - pledge material cooperation
032 4.5 AGREE - pledge diplomatic cooperation
033 5.2 AGREE - promise aid
036 4.0 AGREE - agree to meet or talk
037 5.0 AGREE - agree to settle a dispute
040 1.0 CONSULT - consult
041 1.0 CONSULT phone talk by phone
042 1.9 CONSULT visit travel to visit
043 2.8 CONSULT visit receive a visitor
044 2.5 CONSULT third-party meet on neutral ground
045 5.0 CONSULT third-party mediate
046 7.0 CONSULT - negotiate
050 3.5 SUPPORT - cooperate diplomatically
051 3.4 SUPPORT - praise or back
052 3.5 SUPPORT - defend in words
054 6.0 SUPPORT - recognise diplomatically
055 7.0 CONCEDE - apologise
057 8.0 AGREE - sign an agreement
060 6.0 COOPERATE - cooperate materially
061 6.4 COOPERATE - cooperate economically
062 7.4 COOPERATE - cooperate militarily
064 7.0 COOPERATE - share information or restore ties
070 7.0 AID - give aid
071 7.4 AID - give economic aid
072 8.3 AID - give military aid
073 7.4 AID - give humanitarian aid
074 8.5 AID - protect or keep the peace
075 7.0 AID - grant asylum
080 5.0 CONCEDE - yield
081 5.0 CONCEDE - ease restrictions
083 5.0 CONCEDE - accede to demands
0831 5.0 RETREAT resign step down
084 7.0 RETREAT release return or release
0841 7.0 RETREAT release free people
085 7.0 CONCEDE - ease sanctions
086 9.0 RETREAT access allow access
087 9.0 RETREAT withdraw de-escalate militarily
0871 9.0 RETREAT ceasefire declare a truce
0873 9.0 RETREAT disarm demobilise
0874 10.0 RETREAT withdraw pull out or surrender
090 -2.0 ACCUSE investigate investigate
091 -2.0 ACCUSE investigate investigate a crime
100 -5.0 REQUEST - demand
101 -5.0 REQUEST assist demand cooperation
104 -5.0 REQUEST change demand reform
1041 -5.0 REQUEST change demand a leadership change
105 -5.0 REQUEST yield demand that target yields
1053 -5.0 REQUEST yield demand release
1056 -5.0 REQUEST yield demand withdrawal or de-escalation
106 -5.0 REQUEST meet demand talks
110 -2.0 ACCUSE disapprove disapprove
111 -2.0 ACCUSE disapprove criticise or denounce
112 -2.0 ACCUSE allege accuse
1121 -2.0 ACCUSE allege accuse of a crime
1122 -2.0 ACCUSE allege accuse of abuses
1123 -2.0 ACCUSE allege accuse of aggression
1124 -2.0 ACCUSE allege accuse of war crimes
1125 -2.0 ACCUSE allege accuse of spying or treason
113 -2.0 ACCUSE disapprove rally opposition
114 -2.0 ACCUSE disapprove complain officially
115 -2.0 ACCUSE allege sue
116 -2.0 SANCTION convict find guilty
120 -4.0 REJECT - reject
121 -4.0 REJECT assist reject cooperation
122 -4.0 REJECT assist refuse aid requests
123 -4.0 REJECT change refuse reform
124 -4.0 REJECT yield refuse to yield
125 -5.0 REJECT meet refuse talks
128 -5.0 REJECT - defy norms or law
129 -5.0 REJECT - veto
130 -4.4 THREATEN - threaten
131 -5.8 THREATEN restrict threaten non-force measures
1312 -5.8 THREATEN restrict threaten sanctions
1313 -5.8 THREATEN relations threaten to cut ties
138 -7.0 THREATEN violence threaten force
1384 -7.0 THREATEN violence threaten attack
139 -7.0 THREATEN - give an ultimatum
140 -6.5 PROTEST - protest
141 -6.5 PROTEST demo demonstrate
143 -6.5 PROTEST strike strike or boycott
142 -6.5 PROTEST hunger hunger strike
144 -7.5 PROTEST obstruct block
145 -7.5 PROTEST riot riot
150 -7.2 MOBILIZE - show force
152 -7.2 MOBILIZE weapons raise military alert
153 -7.2 MOBILIZE police mobilise police
154 -7.2 MOBILIZE troops mobilise troops
160 -4.0 SANCTION - reduce relations
161 -4.0 SANCTION - cut diplomatic ties
162 -5.6 SANCTION discontinue cut aid
1622 -5.6 SANCTION discontinue stop military assistance
163 -8.0 SANCTION - impose sanctions or embargo
164 -7.0 SANCTION discontinue break off talks
166 -7.0 SANCTION expel expel or withdraw
170 -7.0 COERCE - coerce
171 -9.2 COERCE seize seize or damage property
1711 -9.2 COERCE seize confiscate
1712 -9.2 ASSAULT destroy destroy property
172 -5.0 COERCE restrict impose restrictions
1723 -5.0 COERCE curfew impose a curfew
1724 -5.0 COERCE martial-law impose martial law
173 -5.0 COERCE arrest arrest or charge
174 -5.0 COERCE deport deport
175 -9.0 COERCE - repress violently
180 -9.0 ASSAULT - use unconventional violence
181 -9.0 ASSAULT abduct abduct or take hostage
182 -9.5 ASSAULT beat assault physically
1822 -9.0 ASSAULT torture torture
1823 -10.0 ASSAULT execute kill by assault
183 -10.0 ASSAULT explosives bomb
1831 -10.0 ASSAULT suicide-attack suicide bombing
185 -8.0 ASSAULT assassinate try to assassinate
186 -10.0 ASSAULT assassinate assassinate
190 -10.0 ASSAULT - use military force
191 -9.5 COERCE restrict blockade
192 -9.5 ASSAULT - occupy territory
193 -10.0 ASSAULT firearms fight with small arms
194 -10.0 ASSAULT heavy-weapons fight with artillery and tanks
195 -10.0 ASSAULT aerial air strike
196 -9.5 ASSAULT - violate a ceasefire
200 -10.0 ASSAULT massacre mass violence
202 -10.0 ASSAULT massacre mass killing
204 -10.0 ASSAULT unconventional weapons of mass destruction
"""

#: Quad class by two-digit root: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
#: 4 material conflict (the GDELT convention).
QUAD_BY_ROOT = {
    **{f"{r:02d}": 1 for r in range(1, 6)},
    **{f"{r:02d}": 2 for r in range(6, 9)},
    **{f"{r:02d}": 3 for r in range(9, 14)},
    **{f"{r:02d}": 4 for r in range(14, 21)},
}


@dataclass(frozen=True)
class CameoCode:
    code: str
    goldstein: float
    plover: str
    mode: str | None
    label: str

    @property
    def root(self) -> str:
        return self.code[:2]

    @property
    def quad_class(self) -> int:
        return QUAD_BY_ROOT[self.root]


def _parse() -> dict[str, CameoCode]:
    table: dict[str, CameoCode] = {}
    for line in _TABLE.strip().splitlines():
        code, goldstein, plover, mode, label = line.split(" ", 4)
        table[code] = CameoCode(code, float(goldstein), plover, None if mode == "-" else mode, label)
    return table


CAMEO: dict[str, CameoCode] = _parse()


def cameo(code: str) -> CameoCode:
    """The entry for ``code``, or for the nearest listed ancestor ('1384' → '138' → '130')."""
    for length in range(len(code), 1, -1):
        prefix = code[:length]
        if prefix in CAMEO:
            return CAMEO[prefix]
        if prefix + "0" in CAMEO:
            return CAMEO[prefix + "0"]
    raise KeyError(f"unknown CAMEO code {code!r}")
