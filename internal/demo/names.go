package demo

// Name and place lists for the synthetic practice. Every person is invented:
// names are drawn independently, so no generated patient is a real person.
// The lists are deliberately diverse and include letters outside ASCII, so
// search, sorting, PDFs and exports meet real-world names from the start.

var femaleFirst = []string{
	"Maria", "Sofía", "Zoë", "Emma", "Olivia", "Ava", "Isabella", "Mia", "Charlotte", "Amelia",
	"Harper", "Evelyn", "Abigail", "Emily", "Elizabeth", "Grace", "Chloé", "Hannah", "Aaliyah", "Priya",
	"Ananya", "Mei", "Xiulan", "Linh", "Thảo", "Ngọc", "Hoa", "Yuki", "Sakura", "Ji-woo",
	"Seo-yeon", "Fatima", "Aisha", "Amira", "Leila", "Noor", "Ingrid", "Astrid", "Siobhán", "Aoife",
	"Niamh", "Małgorzata", "Agnieszka", "Zofia", "Renée", "Anaïs", "Ximena", "Guadalupe", "Lucía", "Valentina",
	"Camila", "Daniela", "Gabriela", "Ana", "Carmen", "Rosa", "Keisha", "Imani", "Tamika", "Latoya",
	"Jasmine", "Destiny", "Kayla", "Brianna", "Ashley", "Jessica", "Sarah", "Rachel", "Rebecca", "Naomi",
	"Esther", "Miriam", "Leah", "Olga", "Svetlana", "Natasha", "Freya", "Maja", "Mette", "Katherine",
	"Margaret", "Patricia", "Jennifer", "Linda", "Barbara", "Susan", "Dorothy", "Nancy", "Karen", "Betty",
	"Adaeze", "Chiamaka", "Ama", "Nia", "Lena", "Hana", "Aroha", "Leilani", "Winona", "Dakota",
}

var maleFirst = []string{
	"José", "Juan", "Luis", "Carlos", "Miguel", "Andrés", "Jesús", "Ángel", "Diego", "Mateo",
	"Santiago", "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas",
	"Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Steven", "Andrew", "Joshua", "Kevin", "Brian",
	"Ethan", "Noah", "Liam", "Lucas", "Oliver", "Elijah", "Jamal", "DeShawn", "Malik", "Darnell",
	"Terrence", "Andre", "Minh", "Huy", "Tuấn", "Khoa", "Wei", "Jun", "Hao", "Hiroshi",
	"Kenji", "Min-jun", "Ravi", "Arjun", "Rahul", "Omar", "Ahmed", "Yusuf", "Mohammed", "Søren",
	"Lars", "Bjørn", "Łukasz", "Paweł", "Wojciech", "Piotr", "Jürgen", "François", "Rémi", "Seán",
	"Cormac", "Dmitri", "Aleksandr", "Mikhail", "Kwame", "Kofi", "Chidi", "Oluwaseun", "Tariq", "Björn",
	"Gustavo", "João", "Thiago", "Raúl", "Efraín", "Nikolai", "Ivan", "Kaleo", "Keanu", "Tenzin",
}

var neutralFirst = []string{
	"Alex", "Jordan", "Taylor", "Riley", "Avery", "Quinn", "Rowan", "Sage", "River", "Jamie",
	"Morgan", "Casey", "Kai", "Emerson", "Skyler", "Robin", "Ari", "Noa", "Eden", "Reese",
}

var lastNames = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "García", "Miller", "Davis", "Rodríguez", "Martínez",
	"Hernández", "López", "González", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
	"Lee", "Pérez", "Thompson", "White", "Harris", "Sánchez", "Clark", "Ramírez", "Lewis", "Robinson",
	"Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyễn", "Trần", "Lê",
	"Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Kim", "Park", "Choi", "Chen",
	"Wang", "Li", "Zhang", "Liu", "Huang", "Wu", "Tanaka", "Suzuki", "Watanabe", "Yamamoto",
	"Patel", "Shah", "Singh", "Kumar", "Gupta", "Reddy", "Khan", "Ali", "Hassan", "Haddad",
	"Abdullah", "O'Brien", "O'Connor", "McCarthy", "Murphy", "Kelly", "Sullivan", "Müller", "Schmidt", "Schröder",
	"Weiß", "Jensen", "Sørensen", "Larsen", "Johansson", "Andersson", "Nilsson", "Kowalski", "Nowak", "Wiśniewski",
	"Wójcik", "Dąbrowski", "Ivanov", "Petrov", "Popescu", "Okafor", "Adeyemi", "Mensah", "Osei", "Dubois",
	"Lefèvre", "Moreau", "Rossi", "Russo", "Esposito", "Bianchi", "Cohen", "Levy", "Friedman", "Goldberg",
	"Yazzie", "Begay", "Tsosie", "Kealoha", "Nakamura", "Silva", "Santos", "Oliveira", "Pereira", "Gonçalves",
	"De la Cruz", "St. John", "Van Dyke", "MacLeod", "D'Angelo", "Al-Sayed", "Ó Súilleabháin", "Eriksen", "Åberg", "Novák",
}

// nicknames are preferred names some patients use.
var nicknames = map[string][]string{
	"William": {"Will", "Bill", "Liam"}, "Robert": {"Rob", "Bobby"}, "Elizabeth": {"Liz", "Beth", "Eliza"},
	"Katherine": {"Kate", "Katie"}, "Margaret": {"Maggie", "Peggy"}, "Christopher": {"Chris", "Kit"},
	"Alexander": {"Alex"}, "Aleksandr": {"Sasha"}, "Michael": {"Mike", "Mikey"}, "Daniel": {"Dan", "Danny"},
	"Joseph": {"Joe"}, "Patricia": {"Trish", "Patty"}, "Jennifer": {"Jen"}, "Matthew": {"Matt"},
	"Anthony": {"Tony"}, "Richard": {"Rick", "Richie"}, "José": {"Pepe"}, "Guadalupe": {"Lupe"},
	"Jesús": {"Chuy"}, "Francisco": {"Paco"}, "Dmitri": {"Dima"}, "Nikolai": {"Kolya"}, "Svetlana": {"Sveta"},
	"Oluwaseun": {"Seun"}, "Rebecca": {"Becca"}, "Abigail": {"Abby"}, "Andrew": {"Drew", "Andy"},
	"Thomas": {"Tom", "Tommy"}, "Małgorzata": {"Gosia"}, "Wojciech": {"Wojtek"}, "Jessica": {"Jess"},
}

// streetWords and streetKinds make fictional street names.
var streetWords = []string{
	"Juniper", "Larkspur", "Heron", "Fernwood", "Madrona", "Thimbleberry", "Salal", "Osprey", "Quail Run",
	"Mossy Rock", "Cedar Hollow", "Alder Glen", "Huckleberry", "Trillium", "Bramble", "Camas", "Kestrel",
	"Sparrow Hill", "Willow Bend", "Foxglove", "Sorrel", "Bluebell", "Hazelnut", "Riverstone", "Cobblestone",
	"Lantern", "Orchard View", "Maple Crest", "Wren", "Copperleaf", "Starling", "Mistwood", "Elderberry",
}

var streetKinds = []string{"St", "Ave", "Rd", "Ln", "Dr", "Ct", "Way", "Pl", "Terrace", "Loop", "Blvd"}

// city is a real city with real ZIP codes and its area code; the streets
// and numbers in it are invented.
type city struct {
	Name, State, Area string
	Zips              []string
	Weight            int
}

var cities = []city{
	{"Portland", "OR", "503", []string{"97202", "97206", "97211", "97212", "97214", "97215", "97217", "97219", "97220", "97232", "97239", "97266"}, 40},
	{"Beaverton", "OR", "503", []string{"97005", "97006", "97007", "97008"}, 14},
	{"Gresham", "OR", "971", []string{"97030", "97080"}, 8},
	{"Hillsboro", "OR", "503", []string{"97123", "97124"}, 8},
	{"Lake Oswego", "OR", "503", []string{"97034", "97035"}, 5},
	{"Tigard", "OR", "971", []string{"97223", "97224"}, 6},
	{"Milwaukie", "OR", "503", []string{"97222", "97267"}, 5},
	{"Vancouver", "WA", "360", []string{"98660", "98661", "98662", "98664", "98682", "98683"}, 14},
}

var emailDomains = []string{"example.com", "example.org", "example.net"}

var specialties = []string{
	"anxiety", "depression", "trauma/PTSD", "couples", "adolescents", "substance use", "eating disorders",
	"grief", "OCD", "bipolar disorder", "ADHD", "LGBTQ+ affirming care", "perinatal mental health",
	"chronic pain", "family therapy", "children", "life transitions", "anger management",
}

var extraLanguages = []string{"Spanish", "Spanish", "Spanish", "Vietnamese", "Mandarin", "ASL", "Russian", "Cantonese", "Korean", "Arabic", "Polish"}

var roomNames = []string{"Alder", "Birch", "Cedar", "Douglas Fir", "Hemlock", "Madrona", "Maple", "Spruce", "Willow", "Aspen", "Larch", "Oak"}

var emergencyRelations = []string{"Spouse", "Spouse", "Partner", "Partner", "Mother", "Father", "Sister", "Brother", "Friend", "Daughter", "Son", "Roommate"}

var guardianRelations = []string{"Mother", "Mother", "Mother", "Father", "Father", "Grandmother", "Grandfather", "Aunt", "Legal guardian", "Foster parent"}
